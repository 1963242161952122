import { SingleFlight } from '../platform/single-flight';

/** A cached WeChat access token and when it stops being worth using (ms since the epoch). */
export interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Where the access token is kept. In memory for one process; in Redis when several instances run, so
 * that they share one token and fetch it once (see redis-token-cache.ts when generated with Redis).
 */
export interface TokenCache {
  get(): Promise<CachedToken | null>;
  set(token: CachedToken): Promise<void>;
  /** Drops the cached token only if it is still `token` (another caller may have refreshed already). */
  invalidate(token: string): Promise<void>;
  /**
   * A token other than `stale` (null: none is known bad): the cached one if it is not `stale`, else what
   * `fetch` returns, stored. At most one fetch runs at a time (per process, or across instances).
   */
  refresh(stale: string | null, fetch: () => Promise<CachedToken>): Promise<CachedToken>;
}

/** Whether a cached token answers a refresh that must not return `stale`. */
export const usable = (t: CachedToken | null, stale: string | null): t is CachedToken => t !== null && t.token !== stale;

export class MemoryTokenCache implements TokenCache {
  private cached: CachedToken | null = null;
  private readonly refreshing = new SingleFlight<string, CachedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(): Promise<CachedToken | null> {
    return this.cached && this.cached.expiresAt > this.now() ? this.cached : null;
  }

  async set(token: CachedToken): Promise<void> {
    this.cached = token;
  }

  async invalidate(token: string): Promise<void> {
    if (this.cached?.token === token) this.cached = null;
  }

  refresh(stale: string | null, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    return this.refreshing.run(stale ?? '', async () => {
      const current = await this.get();
      if (usable(current, stale)) return current;
      const token = await fetch();
      await this.set(token);
      return token;
    });
  }
}
