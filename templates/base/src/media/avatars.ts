import type { Prisma, PrismaClient, User } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import type { ContentSecurity, Suggest } from '../wechat/content-security';
import { imageType } from './image-type';
import type { MediaStorage } from './storage';

/**
 * Avatars (头像昵称填写 → wx.uploadFile): stored, sent to WeChat's mediaCheckAsync, and pending until
 * its verdict arrives by message push. A pending avatar is its owner's only; `risky` deletes it.
 */
export class Avatars {
  constructor(
    private readonly o: { prisma: PrismaClient; storage: MediaStorage; content: ContentSecurity; log: Logger; now?: () => Date },
  ) {}

  /**
   * Stores the image and asks WeChat to check it. Any failure leaves nothing behind: no file, no check,
   * no change to the user. A newer upload supersedes one still waiting (its file goes).
   */
  async upload(user: User, bytes: Buffer): Promise<User> {
    const ext = imageType(bytes);
    if (!ext) throw httpError(415, 'UNSUPPORTED_IMAGE', 'The avatar must be a PNG, JPEG or WebP image.');
    const { storage, prisma } = this.o;
    const name = await storage.put(bytes, ext);
    let updated: User;
    let superseded: string[];
    try {
      const traceId = await this.o.content.checkImage(user.openid, storage.url(name));
      ({ updated, superseded } = await prisma
        .$transaction(async (tx) => {
          const open = { userId: user.id, purpose: 'avatar', OR: [{ verdict: null }, { verdict: 'review' }] };
          const older = await tx.mediaCheck.findMany({ where: open, select: { fileName: true } });
          await tx.mediaCheck.updateMany({ where: open, data: { verdict: 'superseded', decidedAt: this.now() } });
          await tx.mediaCheck.create({ data: { traceId, userId: user.id, purpose: 'avatar', fileName: name } });
          const u = await tx.user.update({ where: { id: user.id }, data: { avatarPending: storage.url(name) } });
          return { updated: u, superseded: older.map((c) => c.fileName) };
        })
        .catch(failsAs(databaseUnavailable)));
    } catch (err) {
      await storage.delete(name).catch((e: unknown) => this.o.log.error({ err: e, file: name }, 'avatar: could not delete an unused file'));
      throw err;
    }
    await this.deleteFiles(superseded);
    return updated;
  }

  /**
   * WeChat's verdict on a check (inside the push's transaction). Applies once: a check already decided,
   * superseded or unknown is left alone. Returns the files to delete once the transaction commits.
   */
  async applyVerdict(tx: Prisma.TransactionClient, traceId: string, suggest: Suggest): Promise<string[]> {
    const check = await tx.mediaCheck.findUnique({ where: { traceId } });
    if (!check || check.verdict !== null || check.purpose !== 'avatar') return [];
    await tx.mediaCheck.update({ where: { traceId }, data: { verdict: suggest, decidedAt: this.now() } });
    const url = this.o.storage.url(check.fileName);
    if (suggest === 'review') return []; // stays pending until someone clears it
    if (suggest === 'risky') {
      await tx.user.updateMany({ where: { id: check.userId, avatarPending: url }, data: { avatarPending: null } });
      return [check.fileName];
    }
    // pass: the new avatar is everyone's now, and the one it replaces goes. If the user has uploaded another
    // since (this one is no longer pending), this file is the one that goes: never the avatar they show.
    const shown = await tx.user.updateMany({
      where: { id: check.userId, avatarPending: url },
      data: { avatarUrl: url, avatarPending: null },
    });
    if (shown.count === 0) {
      await tx.mediaCheck.updateMany({ where: { traceId }, data: { verdict: 'replaced' } });
      return [check.fileName];
    }
    const previous = await tx.mediaCheck.findMany({
      where: { userId: check.userId, purpose: 'avatar', verdict: 'pass', NOT: { traceId } },
    });
    await tx.mediaCheck.updateMany({ where: { traceId: { in: previous.map((p) => p.traceId) } }, data: { verdict: 'replaced' } });
    return previous.map((p) => p.fileName);
  }

  /** Deletes files no one shows any more; a failure is logged (the file is orphaned, nothing else breaks). */
  async deleteFiles(names: string[]): Promise<void> {
    for (const name of names) {
      await this.o.storage.delete(name).catch((err: unknown) => this.o.log.error({ err, file: name }, 'avatar: could not delete a file'));
    }
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }
}
