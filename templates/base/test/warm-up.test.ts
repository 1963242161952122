import { warmUp } from '../src/platform/warm-up';
import { startTestApp, type TestApp } from './support/test-app';

/** server.ts runs warmUp before it listens: it must not change data, and a store that is down must show. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('warm-up reads only: no user for its empty openid, the logged-in user unchanged and still logged in', async () => {
  const { body, auth } = await t.login();
  const before = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
  await warmUp({ prisma: t.prisma, store: t.store });
  expect(await t.prisma.user.findUnique({ where: { openid: '' } })).toBeNull();
  expect(await t.prisma.user.findUnique({ where: { id: body.user.id } })).toEqual(before);
  expect((await t.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
});

test('a session store that does not answer fails the warm-up (server.ts then logs a warning and starts)', async () => {
  const down = { ...t.store, get: () => Promise.reject(new Error('connection refused')) };
  await expect(warmUp({ prisma: t.prisma, store: down })).rejects.toThrow('connection refused');
});
