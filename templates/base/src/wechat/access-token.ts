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
  /** Runs `fetch` with at most one fetch in flight (per process, or across instances). */
  refresh(fetch: () => Promise<CachedToken>): Promise<CachedToken>;
}

export class MemoryTokenCache implements TokenCache {
  private cached: CachedToken | null = null;
  private readonly refreshing = new SingleFlight<'token', CachedToken>();

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

  refresh(fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    return this.refreshing.run('token', async () => {
      const token = await fetch();
      await this.set(token);
      return token;
    });
  }
}
