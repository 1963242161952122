import type { SessionStore } from '../../src/auth/session';

/**
 * A memory store cannot become unreachable: this stand-in fails every call the way a dead server
 * does, so the test still proves that a failing store is a 503.
 */
export function unreachableStore(): { store: SessionStore; close: () => Promise<void> } {
  const refused = () => Promise.reject(new Error('connect ECONNREFUSED'));
  return {
    store: { get: refused, create: refused, saveData: refused, update: refused, destroy: refused, list: refused, destroyAll: refused },
    close: async () => {},
  };
}
