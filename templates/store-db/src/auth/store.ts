import type { Config } from '../config';
import { MemoryTokenCache } from '../wechat/access-token';
import { DbSessionStore } from './db-store';
import type { StoreDeps, Stores } from './session';

/**
 * Sessions in the database, shared by every instance; the WeChat access token in each process
 * (stable_token hands every instance the same token, so they never invalidate each other's).
 */
export async function createStore(_config: Config, { prisma }: StoreDeps): Promise<Stores> {
  return { store: new DbSessionStore(prisma), tokenCache: new MemoryTokenCache(), close: async () => {} };
}
