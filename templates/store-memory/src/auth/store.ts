import type { Config } from '../config';
import { MemoryTokenCache } from '../wechat/access-token';
import { MemorySessionStore } from './memory-store';
import type { StoreDeps, Stores } from './session';

/** Sessions and the WeChat access token in this process: one instance, no server to run. */
export async function createStore(_config: Config, _deps: StoreDeps): Promise<Stores> {
  return { store: new MemorySessionStore(), tokenCache: new MemoryTokenCache(), close: async () => {} };
}
