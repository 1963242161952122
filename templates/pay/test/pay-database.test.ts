import supertest from 'supertest';
import type { PrismaClient } from '../src/generated/prisma/client';
import { createPay } from '../src/pay/pay';
import { memoryLogger } from '../src/platform/log';
import { databaseWithout } from './support/partial-database';
import { startPayApp } from './support/pay-app';

/**
 * The pay feature deployed on a database without its tables (`prisma migrate deploy` not run): placing
 * and reading orders answer 503 DATABASE_NOT_MIGRATED with the command, never a bare 500.
 */
let t: Awaited<ReturnType<typeof startPayApp>>;
let partial: Awaited<ReturnType<typeof databaseWithout>>;
let prisma: PrismaClient;
beforeAll(async () => {
  t = await startPayApp();
  partial = await databaseWithout('_nopay', ['PayRefund', 'PayOrder']);
  prisma = partial.prisma;
});
afterAll(async () => {
  await partial?.drop();
  await t.close();
});

test('POST /api/pay/orders and GET /api/pay/orders/:outTradeNo answer 503 DATABASE_NOT_MIGRATED, the cause logged', async () => {
  const { auth, body } = await t.login();
  await prisma.user.create({ data: await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } }) });
  const log = memoryLogger();
  const pay = createPay(t.config.pay, { prisma, log, timeoutMs: 2000 });
  const app = supertest(t.appWith({ prisma, pay, log }).callback());
  const notMigrated = { code: 'DATABASE_NOT_MIGRATED', message: expect.stringContaining('prisma migrate deploy') };
  const placed = await app.post('/api/pay/orders').set('Authorization', auth).send({ sku: 'sample' });
  expect([placed.status, placed.body.error]).toEqual([503, notMigrated]);
  const read = await app.get('/api/pay/orders/P20261205000000000000000000').set('Authorization', auth);
  expect([read.status, read.body.error]).toEqual([503, notMigrated]);
  const errors = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
  expect(errors.map((e) => [e.msg, e.err.stack.includes('caused by:')])).toEqual([
    ['request failed', true],
    ['request failed', true],
  ]);
});
