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
import { mediaFiles } from './controllers/media.controller';
import { PushController } from './controllers/push.controller';
import { UsersController } from './controllers/users.controller';
import { errorHandler } from './errors';
import type { Logger } from './log';
import { Avatars } from './media/avatars';
import { LocalDiskStorage, type MediaStorage } from './media/storage';
import { PhoneNumbers } from './phone';
import { PushEvents } from './push-events';
import { requestLog } from './request-log';
import { routes } from './routes';
import type { WechatClient } from './wechat/client';
import { ContentSecurity } from './wechat/content-security';
import { SessionKeyCheck } from './wechat/session-key-check';

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
  /** Serve GET /openapi.json: Config's `serveOpenapi` (not in production unless OPENAPI_PUBLIC=true). */
  serveOpenapi?: boolean;
  /** Profile, content security, message push and the phone guard (defaults: local ./uploads, push off). */
  profile?: ProfileDeps;
  /** The platform's own proof of the caller, after the token's (src/platform.ts: 微信云托管's gateway). */
  identity?: Koa.Middleware<AuthState>;
}

export interface ProfileDeps {
  media: MediaStorage;
  /** WX_PUSH_TOKEN and WX_PUSH_AES_KEY: both, or neither (push off). */
  pushToken?: string;
  pushAesKey?: string;
  phoneReverifyDays: number;
  phoneDailyLimit: number;
}

/** nginx on this machine: the only peer whose X-Forwarded-For / -Proto the app believes. */
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Forwarded headers are believed from nginx only. A client that reaches the app directly (a port opened
 * by mistake, a container) cannot choose its ctx.ip (the login rate limit counts by it) or ctx.protocol,
 * and nobody sets ctx.host (nginx clears X-Forwarded-Host too).
 */
export function forwardedFromProxyOnly(ctx: Koa.Context, next: Koa.Next) {
  const headers = ctx.req.headers;
  delete headers['x-forwarded-host'];
  if (!LOOPBACK.test(ctx.req.socket.remoteAddress ?? '')) {
    delete headers['x-forwarded-for'];
    delete headers['x-forwarded-proto'];
  }
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
  const profile = d.profile ?? { media: new LocalDiskStorage('uploads', 'http://127.0.0.1'), phoneReverifyDays: 30, phoneDailyLimit: 5 };
  const content = new ContentSecurity(d.wechat);
  const avatars = new Avatars({ prisma: d.prisma, storage: profile.media, content, log: d.log });
  const phone = new PhoneNumbers({
    prisma: d.prisma,
    wechat: d.wechat,
    reverifyDays: profile.phoneReverifyDays,
    dailyLimit: profile.phoneDailyLimit,
  });
  const pushEvents = new PushEvents({ prisma: d.prisma, avatars, log: d.log, appid: d.appid });
  const router = routes({
    readiness: { database: () => d.prisma.$queryRawUnsafe('SELECT 1'), ...d.readiness },
    serveOpenapi: d.serveOpenapi,
    authController: new AuthController({ auth, wechat: d.wechat, prisma: d.prisma, appid: d.appid, phone, limits }),
    wechatController: new WechatController(d.appid, new SessionKeyCheck(d.wechat, d.log)),
    usersController: new UsersController({ auth, prisma: d.prisma, content, avatars }),
    pushController: new PushController({ token: profile.pushToken, aesKey: profile.pushAesKey, appid: d.appid, events: pushEvents }),
    media: profile.media instanceof LocalDiskStorage ? mediaFiles(profile.media) : undefined,
  });

  // The order every request takes:
  app.use(forwardedFromProxyOnly); //    X-Forwarded-* only from nginx on this host
  if (d.logRequests) app.use(requestLog(d.log)); // 0. one line per request, with its final status
  app.use(errorHandler(d.log)); //      1. any error, 404 and 405 → JSON, no stack
  app.use(auth.middleware()); //         2. Authorization: JWT <token> → ctx.state.jwtUser / jwtSession
  if (d.identity) app.use(d.identity); // 2b. or the platform's gateway names the caller (Cloud Run only)
  app.use(router.routes()); //           3. guards, JSON bodies (routes that take one), controllers
  app.use(router.allowedMethods());
  app.on('error', (err: Error) => d.log.error({ err }, 'unhandled'));
  return app;
}
