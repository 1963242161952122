import type Redis from 'ioredis';
import { endsAt, type SessionChanges, type SessionEvent, type SessionRecord, type SessionStore } from '../auth/session';

// The scripts name the keys of other sessions and of the user's index from a prefix: they run on one
// Redis (not Redis Cluster), which keeps each change to a session and its user's index atomic.

/** KEYS[1] the session, KEYS[2] the user's index; ARGV: prefix, id, ttl ms, lastUsedAt, max, index ttl ms, fields… */
const CREATE = `
redis.call('hset', KEYS[1], unpack(ARGV, 7))
redis.call('pexpire', KEYS[1], ARGV[3])
for _, m in ipairs(redis.call('zrange', KEYS[2], 0, -1)) do
  if redis.call('exists', ARGV[1] .. m) == 0 then redis.call('zrem', KEYS[2], m) end
end
redis.call('zadd', KEYS[2], ARGV[4], ARGV[2])
local over = redis.call('zcard', KEYS[2]) - tonumber(ARGV[5])
local evicted = {}
if over > 0 then
  for _, m in ipairs(redis.call('zrange', KEYS[2], 0, over)) do
    if over > 0 and m ~= ARGV[2] then
      redis.call('del', ARGV[1] .. m)
      redis.call('zrem', KEYS[2], m)
      table.insert(evicted, m)
      over = over - 1
    end
  end
end
if redis.call('pttl', KEYS[2]) < tonumber(ARGV[6]) then redis.call('pexpire', KEYS[2], ARGV[6]) end
return evicted`;

/** KEYS[1] the session; ARGV: id, index prefix, ttl ms or '', lastUsedAt or '', fields… Nothing if it is gone. */
const UPDATE = `
if redis.call('exists', KEYS[1]) == 0 then return 0 end
if #ARGV > 4 then redis.call('hset', KEYS[1], unpack(ARGV, 5)) end
if ARGV[3] ~= '' then redis.call('pexpire', KEYS[1], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('zadd', ARGV[2] .. redis.call('hget', KEYS[1], 'userId'), 'XX', ARGV[4], ARGV[1]) end
return 1`;

/** KEYS[1] the session; ARGV: id, index prefix. */
const DESTROY = `
local user = redis.call('hget', KEYS[1], 'userId')
redis.call('del', KEYS[1])
if user then redis.call('zrem', ARGV[2] .. user, ARGV[1]) end
return 1`;

/** KEYS[1] the user's index; ARGV: session prefix, id to keep or ''. */
const DESTROY_ALL = `
local removed = {}
for _, m in ipairs(redis.call('zrange', KEYS[1], 0, -1)) do
  if m ~= ARGV[2] then
    if redis.call('del', ARGV[1] .. m) == 1 then table.insert(removed, m) end
    redis.call('zrem', KEYS[1], m)
  end
end
return removed`;

const FIELDS = ['userId', 'payload', 'sessionKey', 'data', 'expiresAt', 'maxExpiresAt', 'createdAt', 'lastUsedAt', 'device'] as const;

function toHash(r: SessionRecord): string[] {
  return [
    ...['userId', r.userId, 'payload', JSON.stringify(r.payload), 'sessionKey', r.sessionKey, 'data', JSON.stringify(r.data)],
    ...['expiresAt', String(r.expiresAt), 'maxExpiresAt', String(r.maxExpiresAt), 'createdAt', String(r.createdAt)],
    ...['lastUsedAt', String(r.lastUsedAt), 'device', r.device ?? ''],
  ];
}

function fromHash(values: Array<string | null>): SessionRecord | null {
  const h = Object.fromEntries(FIELDS.map((f, i) => [f, values[i]]));
  if (h.userId === null || h.sessionKey === null || h.maxExpiresAt === null) return null;
  return {
    userId: h.userId,
    payload: JSON.parse(h.payload ?? '{}') as Record<string, unknown>,
    sessionKey: h.sessionKey,
    data: JSON.parse(h.data ?? '{}') as Record<string, unknown>,
    expiresAt: Number(h.expiresAt),
    maxExpiresAt: Number(h.maxExpiresAt),
    createdAt: Number(h.createdAt),
    lastUsedAt: Number(h.lastUsedAt),
    device: h.device || null,
  };
}

/**
 * Sessions in Redis, expired by Redis itself: every instance behind nginx sees every login and logout.
 * A session is a hash `<prefix><id>` that lives until its idle expiry; each user's sessions are a sorted
 * set `<prefix>user:<userId>` scored by last use. Removals and changes are published (`publish`), so
 * that every instance drops its cached copy at once.
 */
export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'wx:sess:',
    private readonly publish: (event: SessionEvent) => Promise<void> = async () => {},
    private readonly now: () => number = Date.now,
  ) {}

  private index(userId: string): string {
    return `${this.prefix}user:${userId}`;
  }

  async create(id: string, r: SessionRecord, maxPerUser: number): Promise<string[]> {
    const now = this.now();
    const ttl = endsAt(r) - now;
    if (ttl <= 0) return [];
    const args = [this.prefix, id, ttl, r.lastUsedAt, maxPerUser, r.maxExpiresAt - now, ...toHash(r)];
    const evicted = (await this.redis.eval(CREATE, 2, this.prefix + id, this.index(r.userId), ...args)) as string[];
    if (evicted.length > 0) await this.publish({ removed: evicted });
    return evicted;
  }

  async get(id: string): Promise<SessionRecord | null> {
    const record = fromHash(await this.redis.hmget(this.prefix + id, ...FIELDS));
    return record && endsAt(record) > this.now() ? record : null;
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    await this.redis.eval(UPDATE, 1, this.prefix + id, id, this.index(''), '', '', 'data', JSON.stringify(data));
    await this.publish({ changed: [id] });
  }

  async update(id: string, c: SessionChanges): Promise<void> {
    const fields: string[] = [];
    if (c.sessionKey !== undefined) fields.push('sessionKey', c.sessionKey);
    if (c.lastUsedAt !== undefined) fields.push('lastUsedAt', String(c.lastUsedAt));
    if (c.expiresAt !== undefined) fields.push('expiresAt', String(c.expiresAt));
    const ttl = c.expiresAt === undefined ? '' : String(Math.max(1, c.expiresAt - this.now()));
    const lastUsed = c.lastUsedAt === undefined ? '' : String(c.lastUsedAt);
    await this.redis.eval(UPDATE, 1, this.prefix + id, id, this.index(''), ttl, lastUsed, ...fields);
    // Another instance's cached copy must not keep an old session_key (a touch changes nothing it uses).
    if (c.sessionKey !== undefined) await this.publish({ changed: [id] });
  }

  async destroy(id: string): Promise<void> {
    await this.redis.eval(DESTROY, 1, this.prefix + id, id, this.index(''));
    await this.publish({ removed: [id] });
  }

  async list(userId: string): Promise<Array<{ id: string; record: SessionRecord }>> {
    const ids = await this.redis.zrevrange(this.index(userId), 0, -1);
    const found = await Promise.all(ids.map(async (id) => ({ id, record: await this.get(id) })));
    return found.filter((s): s is { id: string; record: SessionRecord } => s.record !== null);
  }

  async destroyAll(userId: string, keep?: string): Promise<string[]> {
    const removed = (await this.redis.eval(DESTROY_ALL, 1, this.index(userId), this.prefix, keep ?? '')) as string[];
    if (removed.length > 0) await this.publish({ removed });
    return removed;
  }
}
