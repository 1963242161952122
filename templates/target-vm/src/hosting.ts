import type { Middleware } from 'koa';
import type { AuthState } from './auth/state';
import type { PrismaClient } from './generated/prisma/client';

/**
 * What the host adds to the app. On a server behind nginx: nothing; identity comes from tokens only, and
 * 微信云托管's X-WX-* headers are never read (nginx strips a client's own).
 */
export function hostIdentity(_o: { appid: string; prisma: PrismaClient }): Middleware<AuthState> | undefined {
  return undefined;
}
