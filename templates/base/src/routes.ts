import Router from '@koa/router';
import { decorated, loginRequired, LoginRequired } from './auth/guard';
import type { AuthState } from './auth/state';
import { jsonBody } from './platform/body';
import type { AuthController } from './auth/auth.controller';
import { livez, readyz, type ReadinessChecks } from './health/health.controller';
import type { WechatController } from './auth/decrypt.controller';
import { openapiJson } from './platform/openapi-document';
import type { PushController } from './push/push.controller';
import type { UsersController } from './users/users.controller';
import type { AppContext } from './auth/state';

export interface RouteDeps {
  readiness: ReadinessChecks;
  authController: AuthController;
  wechatController: WechatController;
  /** Serve GET /openapi.json (off in production unless OPENAPI_PUBLIC=true: then it is a 404). */
  serveOpenapi?: boolean;
  usersController: UsersController;
  pushController: PushController;
  /** Uploaded files, served by the app only in development (nginx serves them in production). */
  media?: (ctx: AppContext) => Promise<void>;
}

/**
 * Every route and its guard, in one place. Paths match exactly: case-sensitive and without a trailing
 * slash, so that nginx's login rate limit sees every spelling the app accepts.
 */
export function routes(d: RouteDeps): Router<AuthState> {
  const { authController: auth, wechatController: wechat } = d;
  const { usersController: users, pushController: push } = d;
  const media = d.media ?? (async () => undefined); // no local files: 404
  const router = new Router<AuthState>({ strict: true, sensitive: true });
  const json = jsonBody();
  const ready = readyz(d.readiness);
  const openapi = openapiJson(d.serveOpenapi ?? false);
  // A table, kept aligned by hand: one line per route, its guard beside it.
  // prettier-ignore
  return router
    //    path                     guard                                             handler
    .get('/livez',                                                                    livez)
    .get('/readyz',                                                                   ready)
    .get('/healthz',                                                                  ready)
    .get('/openapi.json',                                                             openapi)
    .post('/api/auth/login',       json,                                              (ctx) => auth.login(ctx))
    .get('/api/auth/me',           loginRequired,                                     (ctx) => auth.me(ctx))
    .post('/api/auth/logout',      loginRequired,                                     (ctx) => auth.logout(ctx))
    .post('/api/auth/logout-all',  loginRequired, json,                               (ctx) => auth.logoutAll(ctx))
    .get('/api/auth/sessions',     loginRequired,                                     (ctx) => auth.sessions(ctx))
    .del('/api/auth/sessions/:id', loginRequired,                                     (ctx) => auth.endSession(ctx))
    .post('/api/auth/phone',       loginRequired, json,                               (ctx) => auth.phone(ctx))
    .post('/api/wechat/decrypt',   decorated(LoginRequired, wechat.decrypt), json,    (ctx) => wechat.decrypt(ctx))
    .patch('/api/users/me',        loginRequired, json,                               (ctx) => users.update(ctx))
    .post('/api/users/me/avatar',  loginRequired,                                     (ctx) => users.avatar(ctx))
    .get('/api/users/:id',         loginRequired,                                     (ctx) => users.show(ctx))
    .get('/api/wechat/push',                                                          (ctx) => push.verify(ctx))
    .post('/api/wechat/push',                                                         (ctx) => push.receive(ctx))
    .get('/media/:name',                                                              media);
}
