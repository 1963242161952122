import type { Config } from '../config';
import { MemoryTokenCache } from '../wechat/access-token';
import { memoryLimiter } from '../auth/login-limits';
import { MemorySessionStore } from './memory-store';
import type { StoreDeps, Stores } from './stores';

/** Sessions, the WeChat access token and the login rate limits in this process: one instance, no server to run. */
export async function createStore(_config: Config, _deps: StoreDeps): Promise<Stores> {
  return { store: new MemorySessionStore(), tokenCache: new MemoryTokenCache(), limiter: memoryLimiter, close: async () => {} };
}
