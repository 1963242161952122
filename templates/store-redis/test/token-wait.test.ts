import Redis from 'ioredis';
import { errorBody } from '../src/platform/errors';
import { RedisTokenCache } from '../src/stores/redis-token-cache';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
let redis: Redis;
beforeAll(async () => {
  t = await startTestApp();
  redis = new Redis(t.config.redisUrl);
});
afterAll(async () => {
  redis.disconnect();
  await t.close();
});

test('another instance holds the refresh lock past the wait: 503 WECHAT_TOKEN_UNAVAILABLE (retry shortly), not a 500; nothing fetched', async () => {
  const key = `wx:access_token:${t.appid}`;
  await redis.set(`${key}:lock`, 'another-instance', 'PX', 60_000); // an instance that took the lock and hangs
  try {
    let clock = Date.now();
    const cache = new RedisTokenCache(redis, key, () => (clock += 1000)); // each look at the clock is a second on
    const fetch = jest.fn();
    const err = await cache.refresh(null, fetch).catch((e: unknown) => e);
    expect(fetch).not.toHaveBeenCalled();
    // what the route answers (the error handler's own mapping)
    expect(errorBody(err)).toEqual({ status: 503, code: 'WECHAT_TOKEN_UNAVAILABLE', message: expect.stringMatching(/retry shortly/) });
  } finally {
    await redis.del(`${key}:lock`);
  }
});
