import Redis from 'ioredis';
// from their own files: the package's index loads every limiter it has (src/types/rate-limiter-flexible.d.ts)
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory';
import RateLimiterRedis from 'rate-limiter-flexible/lib/RateLimiterRedis';
import type { Config } from '../config';
import type { Logger } from '../platform/log';
import { RedisTokenCache } from './redis-token-cache';
import type { LimiterFactory } from '../auth/login-limits';
import { RedisSessionEvents } from './redis-session-events';
import { RedisSessionStore } from './redis-store';
import type { StoreDeps, Stores } from './stores';

/** Each Redis command's bound: Redis answers in well under a millisecond, so past this it is not answering. */
const REDIS_BOUND_MS = 1000;
/** The bound of connecting at start-up (connection, ready check, subscription). */
const REDIS_START_MS = 5000;

function bounded<T>(work: Promise<T>, ms: number, why: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(why)), ms)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A command past its bound means Redis accepts but does not answer (hung, or a network black hole). Then
 * the connection is dropped and made again: until Redis answers its ready check, every call fails at once
 * (the offline queue is off) instead of each waiting out its own bound, so a login is one bound slow, not
 * one per call; and no late answer can be matched to a later command on the old connection.
 */
function failFastWhileHung(redis: Redis, log: Logger): void {
  const send = redis.sendCommand.bind(redis);
  let readyAt = 0;
  redis.on('ready', () => (readyAt = Date.now()));
  redis.sendCommand = (command, stream) => {
    command.promise.catch((err: Error) => {
      // Only when the connection in use has itself been silent a whole bound: a command's timer starts at
      // its first send, so the late time-outs of commands from the hung connection (some resent on the new
      // one) would otherwise drop each new connection as it comes up, and the app would never recover.
      if (err.message === 'Command timed out' && redis.status === 'ready' && Date.now() - readyAt >= REDIS_BOUND_MS) {
        log.error({ command: command.name }, `redis did not answer within ${REDIS_BOUND_MS} ms: reconnecting, calls fail until it answers`);
        redis.disconnect(true);
      }
    });
    return send(command, stream);
  };
}

/**
 * Sessions, the WeChat access token and the login rate limits in Redis, shared by every instance. Keys
 * carry the AppID, so that Mini Programs sharing a Redis never see each other's users.
 */
export async function createStore(config: Config, { log }: StoreDeps): Promise<Stores> {
  // Fail fast while Redis is down (→ 503) instead of queueing requests behind a reconnect.
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_BOUND_MS,
    commandTimeout: REDIS_BOUND_MS,
    // A connection this app drops (hung, or failed at start) is destroyed at once. ioredis would otherwise
    // wait 2 s for a socket that is already closed to close again, holding the process (and Jest) open.
    disconnectTimeout: 0,
  });
  redis.on('error', (err) => log.error({ err }, 'redis error'));
  failFastWhileHung(redis, log);
  let events: RedisSessionEvents;
  try {
    // a Redis that accepts the connection and never answers must not hold the start forever
    await bounded(redis.connect(), REDIS_START_MS, 'no answer');
    events = await bounded(RedisSessionEvents.start(redis, `wx:sess:${config.wxAppid}:events`, log), REDIS_START_MS, 'no answer');
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
      // QUIT is a courtesy: if Redis does not take it, drop the connection, or ioredis reconnects for ever
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
