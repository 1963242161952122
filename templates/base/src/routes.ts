import Router from '@koa/router';
import { decorated, loginRequired, LoginRequired } from './auth/guard';
import type { AuthState } from './auth/state';
import { jsonBody } from './body';
import type { AuthController } from './controllers/auth.controller';
import { livez, readyz, type ReadinessChecks } from './controllers/health.controller';
import type { WechatController } from './controllers/wechat.controller';

export interface RouteDeps {
  readiness: ReadinessChecks;
  authController: AuthController;
  wechatController: WechatController;
}

/**
 * Every route and its guard, in one place. Paths match exactly: case-sensitive and without a trailing
 * slash, so that nginx's login rate limit sees every spelling the app accepts.
 */
export function routes(d: RouteDeps): Router<AuthState> {
  const { authController: auth, wechatController: wechat } = d;
  const router = new Router<AuthState>({ strict: true, sensitive: true });
  const json = jsonBody();
  const ready = readyz(d.readiness);
  // A table, kept aligned by hand: one line per route, its guard beside it.
  // prettier-ignore
  return router
    //    path                     guard                                             handler
    .get('/livez',                                                                    livez)
    .get('/readyz',                                                                   ready)
    .get('/healthz',                                                                  ready)
    .post('/api/auth/login',       json,                                              (ctx) => auth.login(ctx))
    .get('/api/auth/me',           loginRequired,                                     (ctx) => auth.me(ctx))
    .post('/api/auth/logout',      loginRequired,                                     (ctx) => auth.logout(ctx))
    .post('/api/auth/logout-all',  loginRequired, json,                               (ctx) => auth.logoutAll(ctx))
    .get('/api/auth/sessions',     loginRequired,                                     (ctx) => auth.sessions(ctx))
    .del('/api/auth/sessions/:id', loginRequired,                                     (ctx) => auth.endSession(ctx))
    .post('/api/auth/phone',       loginRequired, json,                               (ctx) => auth.phone(ctx))
    .post('/api/wechat/decrypt',   decorated(LoginRequired, wechat.decrypt), json,    (ctx) => wechat.decrypt(ctx));
}
