import { randomBytes } from 'node:crypto';
import { KEEP_MS, sweepPushRecords } from '../src/push/sweep';
import { startTestApp, type TestApp } from './support/test-app';

/** Rows that would only grow: push receipts and decided media checks go once they have served their purpose. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('receipts and decided checks older than a day are swept; recent ones and undecided checks stay', async () => {
  const { body } = await t.login();
  const tag = randomBytes(6).toString('hex');
  const now = Date.now();
  const old = new Date(now - KEEP_MS - 60_000);
  const recent = new Date(now - 60_000);
  await t.prisma.pushReceipt.createMany({
    data: [
      { id: `old:${tag}`, event: 'x', receivedAt: old },
      { id: `new:${tag}`, event: 'x', receivedAt: recent },
    ],
  });
  const check = (name: string, verdict: string | null, at: Date) => ({
    traceId: `${name}:${tag}`,
    userId: body.user.id,
    purpose: 'avatar',
    fileName: `${name}.png`,
    verdict,
    createdAt: at,
    decidedAt: verdict ? at : null,
  });
  await t.prisma.mediaCheck.createMany({
    data: [check('old', 'pass', old), check('new', 'pass', recent), check('waiting', null, old)],
  });

  const swept = await sweepPushRecords(t.prisma, now);
  expect(swept.receipts).toBeGreaterThanOrEqual(1);
  expect(swept.checks).toBeGreaterThanOrEqual(1);
  const receipts = await t.prisma.pushReceipt.findMany({ where: { id: { endsWith: tag } } });
  expect(receipts.map((r) => r.id)).toEqual([`new:${tag}`]);
  const checks = await t.prisma.mediaCheck.findMany({ where: { traceId: { endsWith: tag } }, orderBy: { traceId: 'asc' } });
  expect(checks.map((c) => c.traceId)).toEqual([`new:${tag}`, `waiting:${tag}`]);
  await t.prisma.pushReceipt.deleteMany({ where: { id: { endsWith: tag } } });
  await t.prisma.mediaCheck.deleteMany({ where: { traceId: { endsWith: tag } } });
});
