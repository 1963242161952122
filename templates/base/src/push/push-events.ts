import { createHash } from 'node:crypto';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import type { Avatars } from '../media/avatars';
import { MediaCheckEvent } from './push.schemas';
import { isUniqueViolation } from '../users/users';
import type { Suggest } from '../wechat/content-security';

/**
 * What a push is about, applied exactly once: WeChat retries a push it thinks failed (3 times, within
 * seconds), so each is recorded (PushReceipt) in the same transaction that applies it. Unknown events
 * are logged and acknowledged. Add handlers to `handle` for the events your app subscribes to.
 */
export class PushEvents {
  constructor(private readonly o: { prisma: PrismaClient; avatars: Avatars; log: Logger; appid: string }) {}

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
    await this.once(receiptId('trace', e.trace_id), event, (tx) => this.o.avatars.applyVerdict(tx, e.trace_id, suggest));
  }

  /** Runs `apply` unless this push was applied before; deletes the files it returns after the commit. */
  private async once(id: string, event: string, apply: (tx: Prisma.TransactionClient) => Promise<string[]>): Promise<void> {
    let files: string[];
    try {
      files = await this.o.prisma.$transaction(async (tx) => {
        await tx.pushReceipt.create({ data: { id, event } });
        return apply(tx);
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        this.o.log.info({ id, event }, 'push: already applied');
        return;
      }
      throw err;
    }
    this.o.log.info({ id, event }, 'push: applied');
    await this.o.avatars.deleteFiles(files);
  }
}

/** A receipt id of at most 191 characters (MySQL's key length): the id itself, or its hash if longer. */
export function receiptId(kind: string, id: string): string {
  const full = `${kind}:${id}`;
  return full.length <= 150 ? full : `${kind}:sha256:${createHash('sha256').update(id).digest('hex')}`;
}
