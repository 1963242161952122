import type { LimiterFactory } from '../auth/login-limits';
import type { SessionEvents, SessionStore } from '../auth/session';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../platform/log';
import type { TokenCache } from '../wechat/access-token';

/**
 * What the project's store overlay builds from the config (`createStore` in src/stores/store.ts): where
 * sessions, the WeChat access token and the login rate limits live. It sits above auth/ and wechat/ and
 * imports both; neither imports it.
 */
export interface Stores {
  store: SessionStore;
  /** Where the WeChat access token is kept: this process, or Redis to share it between instances. */
  tokenCache: TokenCache;
  /** The login rate limits' counters: in this process, or in Redis to share them between instances. */
  limiter: LimiterFactory;
  /** Session removals and changes published by every instance (Redis only). */
  events?: SessionEvents;
  /** What /readyz asks of the store's server, if it has one (e.g. `{ redis: () => redis.ping() }`). */
  readiness?: Record<string, () => Promise<unknown>>;
  /** Lets go of the store's connections (after the last request). */
  close(): Promise<void>;
}

/** What a store may build on: the app's database client and its logger. */
export interface StoreDeps {
  prisma: PrismaClient;
  log: Logger;
}
