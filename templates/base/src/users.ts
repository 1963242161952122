import type { PrismaClient, User } from './generated/prisma/client';

export interface Profile {
  openid: string;
  unionid?: string;
  nickname?: string;
  avatarUrl?: string;
}

/** What clients may see of a user: no openid, no unionid. */
export function publicUser(user: User) {
  return { id: user.id, nickname: user.nickname, avatarUrl: user.avatarUrl, phone: user.phone, createdAt: user.createdAt };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string }).code === 'P2002';

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
