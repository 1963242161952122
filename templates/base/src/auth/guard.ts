import type { Middleware } from 'koa';
import { unauthorized } from '../errors';
import type { AppContext, AuthState } from './state';

/** Route guard: 401 unless the jwt-session middleware found a user. */
export const loginRequired: Middleware<AuthState> = async function loginRequired(ctx, next) {
  if (!ctx.state.jwtUser) throw unauthorized();
  await next();
};

/**
 * The same guard as a decorator for class-based controllers:
 *
 *   class OrdersController { @LoginRequired() async list(ctx: AppContext) { ... } }
 */
export function LoginRequired() {
  return function <This, Args extends [AppContext, ...unknown[]], R>(
    method: (this: This, ...args: Args) => Promise<R>,
    _context: ClassMethodDecoratorContext<This, (this: This, ...args: Args) => Promise<R>>,
  ) {
    return async function guarded(this: This, ...args: Args): Promise<R> {
      if (!args[0].state.jwtUser) throw unauthorized();
      return method.apply(this, args);
    };
  };
}
