import { authRoutes, type AuthServices } from './auth/auth.routes';
import { decryptRoutes, type DecryptServices } from './auth/decrypt.routes';
import type { AuthState } from './auth/state';
import { healthRoutes, type HealthServices } from './health/health.routes';
import { mediaRoutes, type MediaServices } from './media/media.routes';
import { OPENAPI_INFO } from './openapi-info';
import { openapiDocument as documentOf, openapiRoute } from './platform/openapi';
import type { AnyRoute } from './platform/route';
import { pushRoutes, type PushServices } from './push/push.routes';
import { shareRoutes, type ShareServices } from './share/share.routes';
import { subscribeRoutes, type SubscribeServices } from './subscribe/subscribe.routes';
import { usersRoutes, type UsersServices } from './users/users.routes';

/** Everything the routes' handlers use, built once by createApp (src/app.ts). */
export type AppServices = AuthServices &
  DecryptServices &
  HealthServices &
  MediaServices &
  PushServices &
  ShareServices &
  SubscribeServices &
  UsersServices & { serveOpenapi?: boolean };

/**
 * Every route module, in one place. Each route is one declaration in its feature's `*.routes.ts`: method,
 * path, guard, schemas, summary and handler, from which the router, the request checks and the OpenAPI
 * document all come. `npm run routes` prints every route with its guard.
 */
// prettier-ignore
const MODULES: AnyRoute<AuthState, AppServices>[][] = [
  healthRoutes,  //  /livez, /readyz, /healthz
  authRoutes,    //  /api/auth/login, me, logout, logout-all, sessions
  usersRoutes,   //  /api/users/me, me/avatar, :id; /api/auth/phone
  decryptRoutes, //  /api/wechat/decrypt (the @LoginRequired() decorator)
  pushRoutes,    //  /api/wechat/push (WeChat's message push)
  subscribeRoutes, //  /api/subscriptions (subscribe messages: templates, consent)
  shareRoutes,   //  /api/share/codes, scenes/:scene, links (Mini Program codes, URL links)
  mediaRoutes,   //  /media/:name (development only)
];

/** The OpenAPI document of every route (GET /openapi.json, `npm run openapi`). */
export const openapiDocument = () => documentOf(ROUTES, OPENAPI_INFO);

export const ROUTES: AnyRoute<AuthState, AppServices>[] = [...MODULES.flat(), openapiRoute(openapiDocument)];
