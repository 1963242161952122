import Redis from 'ioredis';
import type { Config } from '../config';
import { RedisTokenCache } from '../wechat/redis-token-cache';
import { RedisSessionStore } from './redis-store';
import type { StoreDeps, Stores } from './session';

/** Sessions and the WeChat access token in Redis, shared by every instance. */
export async function createStore(config: Config, { log }: StoreDeps): Promise<Stores> {
  // Fail fast while Redis is down (→ 503) instead of queueing requests behind a reconnect.
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2000 });
  redis.on('error', (err) => log.error({ err }, 'redis error'));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect(); // or it keeps reconnecting and holds the process open
    throw err;
  }
  return {
    store: new RedisSessionStore(redis),
    // Instances fetch one WeChat access token for all of them, keyed by AppID so that Mini Programs
    // sharing a Redis never overwrite each other's token.
    tokenCache: new RedisTokenCache(redis, `wx:access_token:${config.wxAppid}`),
    readiness: { redis: () => redis.ping() },
    close: async () => {
      await redis.quit();
    },
  };
}
