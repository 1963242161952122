import type { Prisma, PrismaClient, Session } from '../generated/prisma/client';
import { endsAt, type SessionChanges, type SessionRecord, type SessionStore } from '../auth/session';

const SWEEP_EVERY_MS = 60 * 60 * 1000;
/** The order of a user's sessions, for the list and for eviction: the most recently used first. */
const MOST_RECENT_FIRST = [{ lastUsedAt: 'desc' as const }, { id: 'asc' as const }];

function toRecord(row: Session): SessionRecord {
  return {
    userId: row.userId,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    sessionKey: row.sessionKey,
    data: JSON.parse(row.data) as Record<string, unknown>,
    expiresAt: row.expiresAt.getTime(),
    maxExpiresAt: row.maxExpiresAt.getTime(),
    createdAt: row.createdAt.getTime(),
    lastUsedAt: row.lastUsedAt.getTime(),
    device: row.device,
  };
}

/** Sessions as rows of the `Session` table: they survive restarts and are shared by every instance. */
export class DbSessionStore implements SessionStore {
  private lastSweep = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * No interactive transaction (a round trip through Prisma per statement while the database is locked):
   * the user's live sessions are read first; a user under the cap gets one INSERT, a user at the cap one
   * batch transaction that inserts and deletes the least recently used by id (both or neither). Deleting
   * by id, not by user, takes no range locks (MariaDB deadlocked concurrent logins of one user on those).
   * Two logins of one user racing each other may both see room: the user then holds one session too many
   * until their next login, as with the interactive transaction on PostgreSQL and MariaDB before.
   * A user this login created (`newUser`) has no sessions to read: their first login is one INSERT.
   */
  async create(id: string, r: SessionRecord, maxPerUser: number, newUser = false): Promise<string[]> {
    await this.sweep();
    const live = newUser ? [] : await this.liveIds(this.prisma, r.userId);
    const evicted = live.slice(Math.max(0, maxPerUser - 1)).map((s) => s.id);
    const insert = this.insert(this.prisma, id, r);
    if (evicted.length === 0) await insert;
    else await this.prisma.$transaction([insert, this.prisma.session.deleteMany({ where: { id: { in: evicted } } })]);
    return evicted;
  }

  /**
   * Runs the queries of a login's `create` (and of its first sweep) once, inside the caller's transaction
   * (which the caller rolls back): Prisma plans a query shape on its first use, so the first login is not
   * the slow one.
   */
  async warmUp(tx: Prisma.TransactionClient, userId: string): Promise<void> {
    const now = this.now();
    await this.liveIds(tx, userId);
    const r = {
      userId,
      payload: {},
      sessionKey: '',
      data: {},
      expiresAt: now,
      maxExpiresAt: now,
      createdAt: now,
      lastUsedAt: now,
      device: null,
    };
    await this.insert(tx, `warm-up-${userId}`, r);
    await this.deleteExpired(tx, new Date(0)); // the first login's sweep: its shape, matching no row
  }

  private liveIds(db: Prisma.TransactionClient, userId: string) {
    return db.session.findMany({
      where: { userId, expiresAt: { gt: new Date(this.now()) } },
      orderBy: MOST_RECENT_FIRST,
      select: { id: true },
    });
  }

  private insert(db: Prisma.TransactionClient, id: string, r: SessionRecord) {
    return db.session.create({
      data: {
        id,
        userId: r.userId,
        payload: JSON.stringify(r.payload),
        sessionKey: r.sessionKey,
        data: JSON.stringify(r.data),
        expiresAt: new Date(r.expiresAt),
        maxExpiresAt: new Date(r.maxExpiresAt),
        createdAt: new Date(r.createdAt),
        lastUsedAt: new Date(r.lastUsedAt),
        device: r.device,
      },
      select: { id: true }, // nothing else to read back
    });
  }

  async get(id: string): Promise<SessionRecord | null> {
    const row = await this.prisma.session.findUnique({ where: { id } });
    if (!row) return null;
    const record = toRecord(row);
    if (endsAt(record) <= this.now()) {
      await this.prisma.session.deleteMany({ where: { id } });
      return null;
    }
    return record;
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { data: JSON.stringify(data) } });
  }

  async update(id: string, c: SessionChanges): Promise<void> {
    await this.prisma.session.updateMany({
      where: { id },
      data: {
        sessionKey: c.sessionKey,
        lastUsedAt: c.lastUsedAt === undefined ? undefined : new Date(c.lastUsedAt),
        expiresAt: c.expiresAt === undefined ? undefined : new Date(c.expiresAt),
      },
    });
  }

  async destroy(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }

  async list(userId: string): Promise<Array<{ id: string; record: SessionRecord }>> {
    const rows = await this.prisma.session.findMany({
      where: { userId, expiresAt: { gt: new Date(this.now()) } },
      orderBy: MOST_RECENT_FIRST,
    });
    return rows.map((row) => ({ id: row.id, record: toRecord(row) }));
  }

  async destroyAll(userId: string, keep?: string): Promise<string[]> {
    const rows = await this.prisma.session.findMany({ where: { userId, id: keep ? { not: keep } : undefined }, select: { id: true } });
    const ids = rows.map((s) => s.id);
    if (ids.length > 0) await this.prisma.session.deleteMany({ where: { id: { in: ids } } });
    return ids;
  }

  /** Deletes expired rows now and then, so the table holds live logins only. */
  private async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.deleteExpired(this.prisma, new Date(now));
  }

  private deleteExpired(db: Prisma.TransactionClient, by: Date) {
    return db.session.deleteMany({ where: { expiresAt: { lte: by } } });
  }
}
