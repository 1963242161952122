import type { Middleware } from 'koa';
import { unauthorized } from '../platform/errors';
import type { AppContext, AuthState } from './state';

/** Route guard: 401 unless the jwt-session middleware found a user. */
export const loginRequired: Middleware<AuthState> = async function loginRequired(ctx, next) {
  if (!ctx.state.jwtUser) throw unauthorized();
  await next();
};

const GUARDED = Symbol('LoginRequired');

/**
 * The same guard as a decorator for class-based controllers:
 *
 *   class OrdersController { @LoginRequired() async list(ctx: AppContext) { ... } }
 *
 * Show it in routes.ts with `decorated(LoginRequired, orders.list)`.
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
 * For the guard column of routes.ts: says that `handler` is guarded by its `@LoginRequired()` decorator,
 * and refuses to build the app if it is not, so the table can never claim a guard that is missing.
 */
export function decorated(decorator: typeof LoginRequired, handler: unknown): Middleware<AuthState> {
  if (decorator !== LoginRequired || !(handler as Record<symbol, unknown> | undefined)?.[GUARDED]) {
    throw new Error('routes.ts: this handler has no @LoginRequired() decorator');
  }
  return function guardedByDecorator(_ctx, next) {
    return next();
  };
}
