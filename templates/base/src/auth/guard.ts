import type { Middleware } from 'koa';
import { unauthorized } from '../platform/errors';
import type { Guard } from '../platform/route';
import type { AppContext, AuthState } from './state';

/** What a login guard answers, for the document: no user, or a session store that does not answer. */
const LOGIN: Pick<Guard, 'security' | 'errors'> = {
  security: 'JWT',
  errors: { 401: ['UNAUTHORIZED'], 503: ['SESSION_STORE_UNAVAILABLE'] },
};

/** Route guard: 401 unless the jwt-session middleware found a user. */
export const loginRequired: Guard<AuthState> = Object.assign(
  // not async: one promise fewer per request; Koa turns the throw into a rejection all the same
  function loginRequired(ctx: AppContext, next: () => Promise<unknown>) {
    if (!ctx.state.jwtUser) throw unauthorized();
    return next();
  } as Middleware<AuthState>,
  LOGIN,
);

const GUARDED = Symbol('LoginRequired');

/**
 * The same guard as a decorator for class-based controllers:
 *
 *   class OrdersController { @LoginRequired() async list(ctx: AppContext) { ... } }
 *
 * Show it where the route is declared with `guard: decorated(LoginRequired, OrdersController.prototype.list)`.
 */
export function LoginRequired() {
  return function <This, Args extends [AppContext, ...unknown[]], R>(
    method: (this: This, ...args: Args) => Promise<R>,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<R>>,
  ) {
    const guarded = async function guarded(this: This, ...args: Args): Promise<R> {
      if (!args[0].state.jwtUser) throw unauthorized();
      return method.apply(this, args);
    };
    return Object.assign(guarded, { [GUARDED]: true });
  };
}

/**
 * For a route's `guard`: says that `handler` is guarded by its `@LoginRequired()` decorator, and refuses
 * to load the routes if it is not, so a declaration can never claim a guard that is missing. It checks
 * the login too, so that a route's input is checked after its guard whichever guard it names; the
 * decorator still guards the method wherever else it is called.
 */
export function decorated(decorator: typeof LoginRequired, handler: unknown): Guard<AuthState> {
  if (decorator !== LoginRequired || !(handler as Record<symbol, unknown> | undefined)?.[GUARDED]) {
    throw new Error('routes: this handler has no @LoginRequired() decorator');
  }
  const guard = async (ctx: AppContext, next: () => Promise<unknown>) => {
    if (!ctx.state.jwtUser) throw unauthorized();
    await next();
  };
  // what `npm run routes` shows in its guard column
  return Object.assign(Object.defineProperty(guard, 'name', { value: '@LoginRequired()' }) as Middleware<AuthState>, LOGIN);
}
