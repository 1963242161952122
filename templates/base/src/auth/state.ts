import type { ParameterizedContext } from 'koa';
import type { User } from '../generated/prisma/client';
import type { JwtSession } from './session';

/** What the jwt-session middleware puts on every request (`ctx.state`). */
export interface AuthState {
  /** The logged-in user, or null: guards decide what an anonymous request may do. */
  jwtUser: User | null;
  jwtSession: JwtSession;
}

export type AppContext = ParameterizedContext<AuthState>;
