import { LRUCache } from 'lru-cache';
import type { User } from '../generated/prisma/client';
import type { SessionRecord } from './session';

export interface Entry {
  record: SessionRecord;
  /** `record.data` as JSON, made once: each request's JwtSession parses it only if it is used. */
  dataJson: string;
  user: User;
}

/**
 * A small, bounded, short-lived cache of loaded sessions and their users, so that an authenticated
 * request does not cost two store round trips. An instance forgets a session it logs out at once;
 * another instance sees a logout after at most `ttlMs` (SESSION_CACHE_MS; 0 turns the cache off). An
 * entry never outlives its session: its ttl is cut to the session's own expiry.
 */
export class SessionCache {
  private readonly entries: LRUCache<string, Entry> | null;

  constructor(
    private readonly ttlMs: number,
    maxEntries = 10_000,
    /** The wall clock: sessions expire at a time of day. */
    private readonly now: () => number = Date.now,
    /** A clock no NTP step moves, for how long an entry has been kept (a step back would keep it longer). */
    elapsed: () => number = () => performance.now(),
  ) {
    // ttlResolution 0: read the clock on every lookup rather than trusting one read for a millisecond.
    this.entries = ttlMs > 0 ? new LRUCache({ max: maxEntries, ttl: ttlMs, ttlResolution: 0, perf: { now: elapsed } }) : null;
  }

  get(sid: string): Entry | undefined {
    return this.entries?.get(sid);
  }

  /** Remembers a loaded session (unless the cache is off) and returns its entry either way. */
  set(sid: string, record: SessionRecord, user: User): Entry {
    const entry = { record, dataJson: JSON.stringify(record.data), user };
    const ttl = Math.min(this.ttlMs, record.expiresAt - this.now());
    if (ttl > 0) this.entries?.set(sid, entry, { ttl });
    return entry;
  }

  delete(sid: string): void {
    this.entries?.delete(sid);
  }
}
