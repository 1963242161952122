import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../platform/log';

/**
 * How long a push receipt or a decided media check is kept. A receipt only stops a replay, and a replay
 * older than the 5-minute timestamp window is refused anyway; a verdict pushed again after a day is not
 * WeChat retrying (it retries within seconds). A day is far past both.
 */
export const KEEP_MS = 24 * 3600 * 1000;

/** Deletes push receipts and decided media checks that have served their purpose; returns how many. */
export async function sweepPushRecords(prisma: PrismaClient, now = Date.now()): Promise<{ receipts: number; checks: number }> {
  const before = new Date(now - KEEP_MS);
  const receipts = await prisma.pushReceipt.deleteMany({ where: { receivedAt: { lt: before } } });
  // an undecided check stays: its verdict may still come, and it names a file pending review
  const checks = await prisma.mediaCheck.deleteMany({ where: { verdict: { not: null }, decidedAt: { lt: before } } });
  return { receipts: receipts.count, checks: checks.count };
}

/** Sweeps at start and then every hour, in the background (the timer does not hold the process open). */
export function startSweeping(prisma: PrismaClient, log: Logger, everyMs = 3600 * 1000): () => void {
  const sweep = () =>
    sweepPushRecords(prisma).then(
      (swept) => log.debug(swept, 'swept push receipts and decided media checks'),
      (err: unknown) => log.warn({ err }, 'sweeping push receipts and media checks failed; retrying in an hour'),
    );
  void sweep();
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
