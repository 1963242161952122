import type { Config } from '../config';
import { DbTokenCache } from './db-token-cache';
import { DbSessionStore } from './db-store';
import { memoryLimiter } from '../auth/login-limits';
import type { StoreDeps, Stores } from './stores';

/**
 * Sessions and the WeChat access token in the database, shared by every instance (one refresher at a
 * time across them, see db-token-cache.ts). The login
 * rate limits count per process: with N instances, a client gets up to N times the limit (nginx's
 * limit still holds for them all).
 */
export async function createStore(config: Config, { prisma }: StoreDeps): Promise<Stores> {
  return {
    store: new DbSessionStore(prisma),
    tokenCache: new DbTokenCache(prisma, config.wxAppid),
    limiter: memoryLimiter,
    close: async () => {},
  };
}
