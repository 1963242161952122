import type { SessionRecord, SessionStore } from './session';

/** Sessions in this process only: for one instance; a restart logs everyone out. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async create(id: string, record: SessionRecord): Promise<void> {
    this.sweep();
    this.sessions.set(id, structuredClone(record));
  }

  async get(id: string): Promise<SessionRecord | null> {
    const record = this.sessions.get(id);
    if (!record) return null;
    if (record.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return null;
    }
    return structuredClone(record);
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    const record = this.sessions.get(id);
    if (record) record.data = structuredClone(data);
  }

  async destroy(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  /** Drops expired sessions (at most once a minute) so memory stays bounded by live logins. */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [id, r] of this.sessions) if (r.expiresAt <= now) this.sessions.delete(id);
  }
}
