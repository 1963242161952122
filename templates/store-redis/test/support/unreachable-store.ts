import Redis from 'ioredis';
import { RedisSessionStore } from '../../src/stores/redis-store';
import type { SessionStore } from '../../src/auth/session';

/** The project's session store, pointing at a Redis that does not answer (port 9). */
export function unreachableStore(): { store: SessionStore; close: () => Promise<void> } {
  const redis = new Redis('redis://127.0.0.1:9', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
  return { store: new RedisSessionStore(redis), close: async () => redis.disconnect() };
}
