import { setBounded } from '../bounded';
import type { User } from '../generated/prisma/client';
import type { SessionRecord } from './session';

export interface Entry {
  record: SessionRecord;
  /** `record.data` as JSON, made once: each request's JwtSession parses it only if it is used. */
  dataJson: string;
  user: User;
  until: number;
}

/**
 * A small, bounded, short-lived cache of loaded sessions and their users, so that an authenticated
 * request does not cost two store round trips. An instance forgets a session it logs out at once;
 * another instance sees a logout after at most `ttlMs` (SESSION_CACHE_MS; 0 turns the cache off).
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(sid: string): Entry | undefined {
    const entry = this.entries.get(sid);
    if (!entry) return undefined;
    const now = this.now();
    if (entry.until <= now || entry.record.expiresAt <= now) {
      this.entries.delete(sid);
      return undefined;
    }
    return entry;
  }

  /** Remembers a loaded session (unless the cache is off) and returns its entry either way. */
  set(sid: string, record: SessionRecord, user: User): Entry {
    const entry = { record, dataJson: JSON.stringify(record.data), user, until: this.now() + this.ttlMs };
    if (this.ttlMs > 0) setBounded(this.entries, sid, entry, this.maxEntries);
    return entry;
  }

  delete(sid: string): void {
    this.entries.delete(sid);
  }

  get size(): number {
    return this.entries.size;
  }
}
