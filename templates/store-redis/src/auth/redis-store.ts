import type Redis from 'ioredis';
import type { SessionRecord, SessionStore } from './session';

/** Sessions in Redis, expired by Redis itself: every instance behind nginx sees every login and logout. */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'wx:sess:',
    private readonly now: () => number = Date.now,
  ) {}

  async create(id: string, r: SessionRecord): Promise<void> {
    const ttl = r.expiresAt - this.now();
    if (ttl <= 0) return;
    await this.redis.set(this.prefix + id, JSON.stringify(r), 'PX', ttl);
  }

  async get(id: string): Promise<SessionRecord | null> {
    const text = await this.redis.get(this.prefix + id);
    if (!text) return null;
    const record = JSON.parse(text) as SessionRecord;
    return record.expiresAt > this.now() ? record : null;
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    const record = await this.get(id);
    if (!record) return;
    await this.redis.set(this.prefix + id, JSON.stringify({ ...record, data }), 'KEEPTTL', 'XX');
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.prefix + id);
  }
}
