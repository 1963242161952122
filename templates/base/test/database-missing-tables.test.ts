import supertest from 'supertest';
import type { PrismaClient } from '../src/generated/prisma/client';
import type { Avatars } from '../src/media/avatars';
import { memoryLogger } from '../src/platform/log';
import { operationOf } from '../src/platform/openapi';
import { PushEvents } from '../src/push/push-events';
import { openapiDocument } from '../src/routes';
import { mintScene } from '../src/share/scene';
import { databaseWithout } from './support/partial-database';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * New code on a database that lacks its feature's tables (deployed without `prisma migrate deploy`): each
 * route that needs such a table answers 503 DATABASE_NOT_MIGRATED and names the command, never a bare
 * 500; the log keeps the driver's error as the cause.
 */
const TEMPLATE = 'tmpl_review_0123456789';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is walked as plain JSON
const doc = openapiDocument() as any;
/** The 503 codes the OpenAPI document lists for `call` ('GET /api/x/:id'). */
function documented503(call: string): string[] | undefined {
  const [method, path] = operationOf(call);
  return doc.paths[path]?.[method]?.responses['503']?.content['application/json'].schema.properties.error.properties.code.enum;
}
let t: TestApp;
let partial: Awaited<ReturnType<typeof databaseWithout>>;
let prisma: PrismaClient;
beforeAll(async () => {
  t = await startTestApp({ env: { WX_TEMPLATE_REVIEW_RESULT: TEMPLATE } });
  // every migration, then the tables of the share, subscribe and push features go
  partial = await databaseWithout('_partial', ['SubscribeCredit', 'ShareCode', 'UrlLink', 'PushReceipt']);
  prisma = partial.prisma;
});
afterAll(async () => {
  await partial?.drop();
  await t.close();
});

test('subscriptions, share codes, URL links and scenes answer 503 DATABASE_NOT_MIGRATED with the command, the cause logged', async () => {
  const { auth, body } = await t.login();
  // the same user in the partial database, so that the guard lets the requests through to the features
  await prisma.user.create({ data: await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } }) });
  const log = memoryLogger();
  const app = supertest(t.appWith({ prisma, log }).callback());
  expect((await app.get('/api/auth/me').set('Authorization', auth)).status).toBe(200); // the user's table is there

  const calls = {
    'GET /api/subscriptions': app.get('/api/subscriptions').set('Authorization', auth),
    'POST /api/subscriptions': app
      .post('/api/subscriptions')
      .set('Authorization', auth)
      .send({ answer: { [TEMPLATE]: 'accept' } }),
    'POST /api/share/codes': app.post('/api/share/codes').set('Authorization', auth).send({ page: 'pages/index/index' }),
    'POST /api/share/links': app.post('/api/share/links').set('Authorization', auth).send({ page: 'pages/index/index' }),
    'GET /api/share/scenes/:scene': app.get(`/api/share/scenes/${encodeURIComponent(mintScene())}`),
  };
  const notMigrated = { code: 'DATABASE_NOT_MIGRATED', message: expect.stringContaining('prisma migrate deploy') };
  for (const [call, request] of Object.entries(calls)) {
    const res = await request;
    expect([call, res.status, res.body.error]).toEqual([call, 503, notMigrated]);
    expect([call, documented503(call)]).toEqual([call, expect.arrayContaining(['DATABASE_NOT_MIGRATED', 'DATABASE_UNAVAILABLE'])]);
  }
  const errors = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
  expect(errors).toHaveLength(Object.keys(calls).length);
  for (const e of errors) expect([e.msg, e.err.stack]).toEqual(['request failed', expect.stringContaining('caused by:')]);
});

test('a push (wxa_media_check) on a database without its receipts table: a 503 with the command, so WeChat retries it', async () => {
  // the receipt is written first, in the transaction that applies the verdict: the avatars are never reached
  const avatars = { applyVerdict: () => Promise.resolve([]), deleteFiles: () => Promise.resolve() } as unknown as Avatars;
  const events = new PushEvents({ prisma, avatars, log: memoryLogger(), appid: t.appid });
  const push = { Event: 'wxa_media_check', appid: t.appid, trace_id: 'trace_not_migrated', result: { suggest: 'pass' } };
  const err = await events.handle(push).then(
    () => null,
    (e: { status?: number; code?: string; message: string; cause?: unknown }) => e,
  );
  expect([err?.status, err?.code, err?.message]).toEqual([503, 'DATABASE_NOT_MIGRATED', expect.stringContaining('prisma migrate deploy')]);
  expect(err?.cause).toBeInstanceOf(Error);
});
