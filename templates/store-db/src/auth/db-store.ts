import type { PrismaClient } from '../generated/prisma/client';
import type { SessionRecord, SessionStore } from './session';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/** Sessions as rows of the `Session` table: they survive restarts and are shared by every instance. */
export class DbSessionStore implements SessionStore {
  private lastSweep = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly now: () => number = Date.now,
  ) {}

  async create(id: string, r: SessionRecord): Promise<void> {
    await this.sweep();
    await this.prisma.session.create({
      data: {
        id,
        userId: r.userId,
        payload: JSON.stringify(r.payload),
        sessionKey: r.sessionKey,
        data: JSON.stringify(r.data),
        expiresAt: new Date(r.expiresAt),
      },
    });
  }

  async get(id: string): Promise<SessionRecord | null> {
    const row = await this.prisma.session.findUnique({ where: { id } });
    if (!row) return null;
    if (row.expiresAt.getTime() <= this.now()) {
      await this.prisma.session.deleteMany({ where: { id } });
      return null;
    }
    return {
      userId: row.userId,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
      sessionKey: row.sessionKey,
      data: JSON.parse(row.data) as Record<string, unknown>,
      expiresAt: row.expiresAt.getTime(),
    };
  }

  async saveData(id: string, data: Record<string, unknown>): Promise<void> {
    await this.prisma.session.updateMany({ where: { id }, data: { data: JSON.stringify(data) } });
  }

  async destroy(id: string): Promise<void> {
    await this.prisma.session.deleteMany({ where: { id } });
  }

  /** Deletes expired rows now and then, so the table holds live logins only. */
  private async sweep(): Promise<void> {
    const now = this.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    await this.prisma.session.deleteMany({ where: { expiresAt: { lte: new Date(now) } } });
  }
}
