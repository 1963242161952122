import { randomBytes } from 'node:crypto';
import type Redis from 'ioredis';
import { SingleFlight } from '../platform/single-flight';
import { usable, type CachedToken, type TokenCache } from '../wechat/access-token';
import { tokenUnavailable } from '../wechat/errors';

const DELETE_IF_EQUAL = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * The WeChat access token in Redis, shared by every instance. A refresh takes a short Redis lock, so
 * that N instances starting together fetch the token once; the others wait for it to appear.
 */
export class RedisTokenCache implements TokenCache {
  private readonly refreshing = new SingleFlight<string, CachedToken>();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<CachedToken | null> {
    const [token, ttl] = await Promise.all([this.redis.get(this.key), this.redis.pttl(this.key)]);
    return token && ttl > 0 ? { token, expiresAt: this.now() + ttl } : null;
  }

  async set(t: CachedToken): Promise<void> {
    const ttl = t.expiresAt - this.now();
    if (ttl > 0) await this.redis.set(this.key, t.token, 'PX', ttl);
  }

  async invalidate(token: string): Promise<void> {
    await this.redis.eval(DELETE_IF_EQUAL, 1, this.key, token);
  }

  refresh(stale: string | null, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    return this.refreshing.run(stale ?? '', () => this.refreshShared(stale, fetch));
  }

  private async refreshShared(stale: string | null, fetch: () => Promise<CachedToken>, waitMs = 10_000): Promise<CachedToken> {
    const lockKey = `${this.key}:lock`;
    const deadline = this.now() + waitMs;
    while (this.now() < deadline) {
      const lock = randomBytes(16).toString('hex');
      if ((await this.redis.set(lockKey, lock, 'PX', waitMs, 'NX')) === 'OK') {
        try {
          const fresh = await this.get(); // the previous holder may have finished just now
          if (usable(fresh, stale)) return fresh;
          const token = await fetch();
          await this.set(token);
          return token;
        } finally {
          await this.redis.eval(DELETE_IF_EQUAL, 1, lockKey, lock);
        }
      }
      // Another instance is fetching: wait for its token.
      await new Promise((r) => setTimeout(r, 50));
      const shared = await this.get();
      if (usable(shared, stale)) return shared;
    }
    throw tokenUnavailable(); // 503: retry shortly, as when WeChat does not answer
  }
}
