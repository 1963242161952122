import type { z } from 'zod';
import type { PrismaClient, User } from '../generated/prisma/client';
import type { OtherUser, PublicUser } from './users.schemas';

export interface Profile {
  openid: string;
  unionid?: string;
  nickname?: string;
  avatarUrl?: string;
}

/**
 * What a user sees of themselves: no openid, no unionid. A nickname or avatar still under WeChat's
 * review is shown (to its owner only) and flagged, so the client can say so.
 */
export function publicUser(user: User): z.input<typeof PublicUser> {
  return {
    id: user.id,
    nickname: user.nicknamePending ?? user.nickname,
    avatarUrl: user.avatarPending ?? user.avatarUrl,
    phone: user.phone,
    createdAt: user.createdAt.toISOString(),
    nicknamePending: user.nicknamePending !== null,
    avatarPending: user.avatarPending !== null,
  };
}

/** What other users see: the nickname and avatar WeChat cleared, never pending content, never the phone. */
export function otherUser(user: User): z.input<typeof OtherUser> {
  return { id: user.id, nickname: user.nickname, avatarUrl: user.avatarUrl };
}

/**
 * Text from outside (decrypted user info, WeChat's answers) made safe to store: control characters go
 * (PostgreSQL refuses NUL in text, and none belongs in a name), and the result is undefined when empty
 * or longer than `max`.
 */
export function cleanText(value: unknown, max = 1024): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return clean.length > 0 && clean.length <= max ? clean : undefined;
}

/** Prisma's unique-constraint violation: another request created the same row first. */
export const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

/**
 * Finds the user with this openid, or creates it; safe when two first logins of one user race (the
 * loser of the unique index re-reads the winner's row). `created` lets a failed login undo its user.
 */
export async function upsertUser(prisma: PrismaClient, p: Profile): Promise<{ user: User; created: boolean }> {
  const changes = Object.fromEntries(
    Object.entries({ unionid: p.unionid, nickname: p.nickname, avatarUrl: p.avatarUrl }).filter(([, v]) => v !== undefined),
  );
  const existing = await prisma.user.findUnique({ where: { openid: p.openid } });
  if (existing) {
    const stale = Object.entries(changes).some(([k, v]) => existing[k as keyof User] !== v);
    return { user: stale ? await prisma.user.update({ where: { id: existing.id }, data: changes }) : existing, created: false };
  }
  try {
    return { user: await prisma.user.create({ data: { openid: p.openid, ...changes } }), created: true };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const winner = await prisma.user.findUnique({ where: { openid: p.openid } });
    if (!winner) throw err;
    return { user: winner, created: false };
  }
}
