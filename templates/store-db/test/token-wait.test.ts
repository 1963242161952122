import { DbTokenCache } from '../src/stores/db-token-cache';
import { errorBody } from '../src/platform/errors';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('another instance holds the refresh lock past the wait: 503 WECHAT_TOKEN_UNAVAILABLE (retry shortly), not a 500; nothing fetched', async () => {
  // an instance that took the lock and hangs (or died): its lock outlives our 10 s wait
  await t.prisma.wechatToken.create({
    data: { appid: t.appid, lockId: 'another-instance', lockedUntil: new Date(Date.now() + 3_600_000) },
  });
  let clock = Date.now();
  const cache = new DbTokenCache(t.prisma, t.appid, () => (clock += 1000)); // each look at the clock is a second on
  const fetch = jest.fn();
  const err = await cache.refresh(null, fetch).catch((e: unknown) => e);
  expect(fetch).not.toHaveBeenCalled();
  // what the route answers (the error handler's own mapping)
  expect(errorBody(err)).toEqual({ status: 503, code: 'WECHAT_TOKEN_UNAVAILABLE', message: expect.stringMatching(/retry shortly/) });
});
