import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs } from '../platform/errors';

/**
 * Send credits of one-time subscribe messages (一次性订阅): each `accept` in wx.requestSubscribeMessage
 * lets us send that user one message of that template. Kept in the database: consent outlives a restart.
 * A database failure is a 503 (DATABASE_UNAVAILABLE, or DATABASE_NOT_MIGRATED with the fix), its cause logged.
 */
export class SubscribeCredits {
  constructor(private readonly prisma: PrismaClient) {}

  /** One more send of `templateId` to `userId`. */
  async add(userId: string, templateId: string): Promise<void> {
    const where = { userId_templateId: { userId, templateId } };
    const upsert = () =>
      this.prisma.subscribeCredit.upsert({ where, create: { userId, templateId, credits: 1 }, update: { credits: { increment: 1 } } });
    // two first accepts at once may both try the insert; the loser finds the row and increments it
    await upsert()
      .catch((err: unknown) => ((err as { code?: unknown }).code === 'P2002' ? upsert() : Promise.reject(err)))
      .catch(failsAs(databaseUnavailable));
  }

  /** Uses one credit, or answers false when there is none. One UPDATE … WHERE credits > 0: atomic. */
  async take(userId: string, templateId: string): Promise<boolean> {
    const { count } = await this.prisma.subscribeCredit
      .updateMany({ where: { userId, templateId, credits: { gt: 0 } }, data: { credits: { decrement: 1 } } })
      .catch(failsAs(databaseUnavailable));
    return count === 1;
  }

  /** Returns a credit that WeChat did not use (the send failed before WeChat delivered it). */
  async giveBack(userId: string, templateId: string): Promise<void> {
    await this.prisma.subscribeCredit
      .updateMany({ where: { userId, templateId }, data: { credits: { increment: 1 } } })
      .catch(failsAs(databaseUnavailable));
  }

  /** WeChat says the user's consent is gone (43101): what we counted is wrong, so it all goes. */
  async forget(userId: string, templateId: string): Promise<void> {
    await this.prisma.subscribeCredit.deleteMany({ where: { userId, templateId } }).catch(failsAs(databaseUnavailable));
  }

  async count(userId: string, templateId: string): Promise<number> {
    const row = await this.prisma.subscribeCredit
      .findUnique({ where: { userId_templateId: { userId, templateId } } })
      .catch(failsAs(databaseUnavailable));
    return row?.credits ?? 0;
  }
}
