import type { Config } from '../config';
import { MemoryTokenCache } from '../wechat/access-token';
import { DbSessionStore } from './db-store';
import { memoryLimiter } from '../auth/login-limits';
import type { StoreDeps, Stores } from './stores';

/**
 * Sessions in the database, shared by every instance; the WeChat access token in each process
 * (stable_token hands every instance the same token, so they never invalidate each other's). The login
 * rate limits count per process: with N instances, a client gets up to N times the limit (nginx's
 * limit still holds for them all).
 */
export async function createStore(_config: Config, { prisma }: StoreDeps): Promise<Stores> {
  return { store: new DbSessionStore(prisma), tokenCache: new MemoryTokenCache(), limiter: memoryLimiter, close: async () => {} };
}
