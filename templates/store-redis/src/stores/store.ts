import Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../config';
import { RedisTokenCache } from './redis-token-cache';
import type { LimiterFactory } from '../auth/login-limits';
import { RedisSessionEvents } from './redis-session-events';
import { RedisSessionStore } from './redis-store';
import type { StoreDeps, Stores } from './stores';

/**
 * Sessions, the WeChat access token and the login rate limits in Redis, shared by every instance. Keys
 * carry the AppID, so that Mini Programs sharing a Redis never see each other's users.
 */
export async function createStore(config: Config, { log }: StoreDeps): Promise<Stores> {
  // Fail fast while Redis is down (→ 503) instead of queueing requests behind a reconnect.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 });
  redis.on('error', (err) => log.error({ err }, 'redis error'));
  let events: RedisSessionEvents;
  try {
    await redis.connect();
    events = await RedisSessionEvents.start(redis, `wx:sess:${config.wxAppid}:events`, log);
  } catch (err) {
    redis.disconnect(); // or it keeps reconnecting and holds the process open
    const where = new URL(config.redisUrl);
    where.password = where.password ? '***' : '';
    throw new Error(`Redis does not answer at REDIS_URL=${where} (${(err as Error).message}): start it, or fix REDIS_URL in .env.`, {
      cause: err,
    });
  }
  // While Redis does not answer, each instance counts logins on its own rather than refusing them all.
  const limiter: LimiterFactory = (o) =>
    new RateLimiterRedis({
      ...o,
      keyPrefix: `${o.keyPrefix}:${config.wxAppid}`,
      storeClient: redis,
      insuranceLimiter: new RateLimiterMemory(o),
    });
  return {
    store: new RedisSessionStore(redis, `wx:sess:${config.wxAppid}:`, (event) => events.publish(event)),
    // Instances fetch one WeChat access token for all of them.
    tokenCache: new RedisTokenCache(redis, `wx:access_token:${config.wxAppid}`),
    limiter,
    events,
    readiness: { redis: () => redis.ping() },
    close: async () => {
      await events.close();
      await redis.quit();
    },
  };
}
