import { endsAt, type SessionChanges, type SessionRecord, type SessionStore } from '../auth/session';

/** Sessions in this process only: for one instance; a restart logs everyone out. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  /** Each user's session ids. */
  private readonly byUser = new Map<string, Set<string>>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async create(id: string, record: SessionRecord, maxPerUser: number): Promise<string[]> {
    this.sweep();
    this.sessions.set(id, structuredClone(record));
    const ids = this.byUser.get(record.userId) ?? new Set<string>();
    this.byUser.set(record.userId, ids.add(id));
    const others = this.live(record.userId).filter((s) => s.id !== id);
    const evicted = others.slice(Math.max(0, maxPerUser - 1)).map((s) => s.id);
    for (const old of evicted) this.remove(old);
    return evicted;
  }

  async get(id: string): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record) return null;
    if (this.expired(record)) {
      this.remove(id);
      return null;
    }
    return structuredClone(record);
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    const record = this.sessions.get(id);
    if (record) record.data = structuredClone(data);
  }

  async update(id: string, changes: SessionChanges): Promise<void> {
    const record = this.sessions.get(id);
    if (record) Object.assign(record, changes);
  }

  async destroy(id: string): Promise<void> {
    this.remove(id);
  }

  async list(userId: string): Promise<Array<{ id: string; record: SessionRecord }>> {
    return this.live(userId).map(({ id, record }) => ({ id, record: structuredClone(record) }));
  }

  async destroyAll(userId: string, keep?: string): Promise<string[]> {
    const ids = [...(this.byUser.get(userId) ?? [])].filter((id) => id !== keep);
    for (const id of ids) this.remove(id);
    return ids;
  }

  /** The user's live sessions, the most recently used first. */
  private live(userId: string): Array<{ id: string; record: SessionRecord }> {
    const found: Array<{ id: string; record: SessionRecord }> = [];
    for (const id of this.byUser.get(userId) ?? []) {
      const record = this.sessions.get(id);
      if (record && !this.expired(record)) found.push({ id, record });
      else this.remove(id);
    }
    return found.sort((a, b) => b.record.lastUsedAt - a.record.lastUsedAt);
  }

  private expired(r: SessionRecord): boolean {
    return endsAt(r) <= this.now();
  }

  private remove(id: string): void {
    const record = this.sessions.get(id);
    this.sessions.delete(id);
    if (!record) return;
    const ids = this.byUser.get(record.userId);
    ids?.delete(id);
    if (ids?.size === 0) this.byUser.delete(record.userId);
  }

  /** Drops expired sessions (at most once a minute) so memory stays bounded by live logins. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [id, r] of this.sessions) if (this.expired(r)) this.remove(id);
  }
}
