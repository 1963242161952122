import Router from '@koa/router';
import type { PrismaClient } from './generated/prisma/client';
import { loginRequired } from './auth/guard';
import type { AuthState } from './auth/state';
import type { AuthController } from './controllers/auth.controller';
import { health } from './controllers/health.controller';
import type { WechatController } from './controllers/wechat.controller';

export interface RouteDeps {
  prisma: PrismaClient;
  authController: AuthController;
  wechatController: WechatController;
}

/** Every route and its guard, in one place. */
export function routes(d: RouteDeps): Router<AuthState> {
  const { authController: auth, wechatController: wechat } = d;
  const router = new Router<AuthState>();
  //     method  path                     guard                     handler
  router.get('/healthz',                                            health(d.prisma));
  router.post('/api/auth/login',                                    (ctx) => auth.login(ctx));
  router.get('/api/auth/me',              loginRequired,            (ctx) => auth.me(ctx));
  router.post('/api/auth/logout',         loginRequired,            (ctx) => auth.logout(ctx));
  router.post('/api/auth/phone',          loginRequired,            (ctx) => auth.phone(ctx));
  router.post('/api/wechat/decrypt',   /* @LoginRequired() */       (ctx) => wechat.decrypt(ctx));
  return router;
}
