import Koa from 'koa';
import type { PrismaClient } from './generated/prisma/client';
import { JwtAuth } from './auth/jwt-auth';
import { LoginLimits, memoryLimiter, type LimiterFactory, type LoginLimitSettings } from './auth/login-limits';
import type { SessionEvents, SessionStore } from './auth/session';
import type { AuthState } from './auth/state';
import type { TokenService } from './auth/tokens';
import { AuthController } from './controllers/auth.controller';
import type { ReadinessChecks } from './controllers/health.controller';
import { WechatController } from './controllers/wechat.controller';
import { errorHandler } from './errors';
import type { Logger } from './log';
import { requestLog } from './request-log';
import { routes } from './routes';
import type { WechatClient } from './wechat/client';

export interface AppDeps {
  prisma: PrismaClient;
  store: SessionStore;
  tokens: TokenService;
  wechat: WechatClient;
  log: Logger;
  appid: string;
  /** Idle expiry of a session (SESSION_TTL). */
  sessionTtlSeconds: number;
  sessionCacheMs: number;
  /** The absolute cap (SESSION_MAX_AGE); 90 days unless given. */
  sessionMaxAgeSeconds?: number;
  /** SESSION_TOUCH_INTERVAL; 1 h unless given. */
  sessionTouchIntervalSeconds?: number;
  /** SESSIONS_PER_USER; 10 unless given. */
  sessionsPerUser?: number;
  /** Removals and changes from other instances (the Redis store). */
  sessionEvents?: SessionEvents;
  /** Where the login rate limits count (the store overlay's choice); this process unless given. */
  limiter?: LimiterFactory;
  /** LOGIN_RATE_*; the defaults of login-limits.ts unless given. */
  loginLimits?: LoginLimitSettings;
  /** One log line per request (LOG_REQUESTS, on by default). */
  logRequests?: boolean;
  /** What /readyz asks besides the database (e.g. Redis). */
  readiness?: ReadinessChecks;
}

function untrustedForwardedHost(ctx: Koa.Context, next: Koa.Next) {
  delete ctx.req.headers['x-forwarded-host'];
  return next();
}

/** Builds the Koa app from its dependencies; only server.ts listens, tests use `app.callback()`. */
export function createApp(d: AppDeps): Koa<AuthState> {
  // Behind one nginx: trust X-Forwarded-For but only its last hop, so clients cannot choose their ctx.ip.
  const app = new Koa<AuthState>({ proxy: true, maxIpsCount: 1 });
  const auth = new JwtAuth({
    tokens: d.tokens,
    store: d.store,
    prisma: d.prisma,
    ttlSeconds: d.sessionTtlSeconds,
    maxAgeSeconds: d.sessionMaxAgeSeconds,
    touchIntervalSeconds: d.sessionTouchIntervalSeconds,
    sessionsPerUser: d.sessionsPerUser,
    cacheMs: d.sessionCacheMs,
    events: d.sessionEvents,
    log: d.log,
  });
  const limits = new LoginLimits(d.limiter ?? memoryLimiter, d.loginLimits);
  const router = routes({
    readiness: { database: () => d.prisma.$queryRawUnsafe('SELECT 1'), ...d.readiness },
    authController: new AuthController({ auth, wechat: d.wechat, prisma: d.prisma, appid: d.appid, limits }),
    wechatController: new WechatController(d.appid),
  });

  // The order every request takes:
  app.use(untrustedForwardedHost); //    nginx clears it; a client that reaches the app directly must not set ctx.host
  if (d.logRequests) app.use(requestLog(d.log)); // 0. one line per request, with its final status
  app.use(errorHandler(d.log)); //      1. any error, 404 and 405 → JSON, no stack
  app.use(auth.middleware()); //         2. Authorization: JWT <token> → ctx.state.jwtUser / jwtSession
  app.use(router.routes()); //           3. guards, JSON bodies (routes that take one), controllers
  app.use(router.allowedMethods());
  app.on('error', (err: Error) => d.log.error({ err }, 'unhandled'));
  return app;
}
