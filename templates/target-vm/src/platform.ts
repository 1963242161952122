import type Koa from 'koa';
import type { AuthState } from './auth/state';
import type { Config } from './config';
import type { PrismaClient } from './generated/prisma/client';

/** What the platform adds to the app. On a server behind nginx: nothing (identity comes from tokens only). */
export interface Platform {
  /** Runs after the token middleware; may set ctx.state.jwtUser from the platform's own proof. */
  identity?: Koa.Middleware<AuthState>;
}

export function platform(_config: Config, _prisma: PrismaClient): Platform {
  return {};
}
