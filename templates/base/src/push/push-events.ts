import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failure, httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import type { Avatars } from '../media/avatars';
import { MediaCheckEvent } from './push.schemas';
import { sendReviewResult } from '../subscribe/review-notice';
import type { Subscriptions } from '../subscribe/subscriptions';
import { isUniqueViolation } from '../users/users';
import type { Suggest } from '../wechat/content-security';

/**
 * What a push is about, applied exactly once: WeChat retries a push it thinks failed (3 times, within
 * seconds), so each is recorded (PushReceipt) in the same transaction that applies it. Unknown events
 * are logged and acknowledged. Add handlers to `handle` for the events your app subscribes to.
 */
export class PushEvents {
  constructor(private readonly o: { prisma: PrismaClient; avatars: Avatars; log: Logger; appid: string; subscriptions?: Subscriptions }) {}

  async handle(message: Record<string, unknown>): Promise<void> {
    const event = typeof message.Event === 'string' ? message.Event : typeof message.MsgType === 'string' ? message.MsgType : 'unknown';
    if (event !== 'wxa_media_check') {
      this.o.log.info({ event, msgType: message.MsgType }, 'push: event not handled, acknowledged');
      return;
    }
    const parsed = MediaCheckEvent.safeParse(message);
    if (!parsed.success) throw httpError(400, 'BAD_PUSH', 'The wxa_media_check event is malformed.');
    const e = parsed.data;
    if (e.appid !== undefined && e.appid !== this.o.appid) throw httpError(403, 'WRONG_APPID', 'The push was made for another AppID.');
    const suggest: Suggest | undefined = e.result?.suggest ?? (e.isrisky === 1 ? 'risky' : e.isrisky === 0 ? 'pass' : undefined);
    if (!suggest) throw httpError(400, 'BAD_PUSH', 'The wxa_media_check event has no verdict.');
    const applied = await this.once(receiptId('trace', e.trace_id), event, (tx) => this.o.avatars.applyVerdict(tx, e.trace_id, suggest));
    if (applied) this.tellUser(e.trace_id);
  }

  /**
   * The verdict, to a user who allowed the reviewResult message: after the commit, once per push, and
   * not awaited, since WeChat waits only 5 s for the push's answer (sendReviewResult logs its failures).
   */
  private tellUser(traceId: string): void {
    const subscriptions = this.o.subscriptions;
    if (!subscriptions) return;
    void this.o.prisma.mediaCheck
      .findUnique({ where: { traceId } })
      .then((check) => check && sendReviewResult(subscriptions, this.o.log, check))
      .catch((err: unknown) => this.o.log.error({ err, traceId }, 'subscribe message: the review result could not be sent'));
  }

  /**
   * Runs `apply` unless this push was applied before; deletes the files it returns after the commit.
   * Answers whether it applied it now.
   */
  private async once(id: string, event: string, apply: (tx: Prisma.TransactionClient) => Promise<string[]>): Promise<boolean> {
    let files: string[];
    try {
      files = await this.o.prisma.$transaction(async (tx) => {
        await tx.pushReceipt.create({ data: { id, event } });
        return apply(tx);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        this.o.log.info({ id, event }, 'push: already applied');
        return false;
      }
      throw failure(databaseUnavailable, err); // a 503: WeChat retries the push later
    }
    this.o.log.info({ id, event }, 'push: applied');
    await this.o.avatars.deleteFiles(files);
    return true;
  }
}

/** A receipt id of at most 191 characters (MySQL's key length): the id itself, or its hash if longer. */
export function receiptId(kind: string, id: string): string {
  const full = `${kind}:${id}`;
  return full.length <= 150 ? full : `${kind}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}
