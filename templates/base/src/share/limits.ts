import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, httpError } from '../platform/errors';

const DAY_MS = 24 * 3600 * 1000;

/**
 * At most `perDay` new codes and links per user in any 24 hours, so that one user cannot mint codes in a
 * loop (each is a WeChat call and a stored image). Reusing an existing code or link is free.
 */
export async function checkShareLimit(prisma: PrismaClient, userId: string, perDay: number, now: Date): Promise<void> {
  const since = new Date(now.getTime() - DAY_MS);
  const where = { creatorId: userId, createdAt: { gte: since } };
  const [codes, links] = await Promise.all([prisma.shareCode.count({ where }), prisma.urlLink.count({ where })]).catch(
    failsAs(databaseUnavailable),
  );
  if (codes + links >= perDay)
    throw httpError(429, 'SHARE_LIMIT', `At most ${perDay} new share codes and links per user a day; reuse the ones you have.`);
}
