/**
 * ✏️  The two hooks to customize: what a session remembers of its user, and the user it gives back.
 *
 * At login, `userToPayload` decides what the server-side session remembers about the user. On every
 * request, `payloadToUser` turns it back into the user that handlers see as `ctx.state.jwtUser`.
 * The payload stays on the server (the token only names the session), but keep it small and never put
 * WeChat's session_key in it. Return null from `payloadToUser` to treat the request as logged out,
 * e.g. for a banned user.
 */
import type { PrismaClient, User } from '../generated/prisma/client';
import { isUserId } from '../users/user-id';

export type Payload = Record<string, unknown>;

export function userToPayload(user: User): Payload {
  return { userId: user.id };
}

export async function payloadToUser(payload: Payload, { prisma }: { prisma: PrismaClient }): Promise<User | null> {
  if (!isUserId(payload.userId)) return null;
  return prisma.user.findUnique({ where: { id: payload.userId } });
}
