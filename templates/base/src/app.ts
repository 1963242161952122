import Koa from 'koa';
import type { PrismaClient } from './generated/prisma/client';
import { DecryptController } from './auth/decrypt.routes';
import { JwtAuth } from './auth/jwt-auth';
import { LoginLimits, memoryLimiter, type LimiterFactory, type LoginLimitSettings } from './auth/login-limits';
import { Logins } from './auth/logins';
import type { SessionEvents, SessionStore } from './auth/session';
import type { AuthState } from './auth/state';
import type { TokenService } from './auth/tokens';
import { readiness, type ReadinessChecks } from './health/readiness';
import { checkDatabase } from './platform/database-problems';
import { Avatars } from './media/avatars';
import type { MediaStorage } from './media/storage';
import { errorHandler } from './platform/errors';
import { forwardedFromProxyOnly } from './platform/forwarded';
import type { Logger } from './platform/log';
import { requestLog } from './platform/request-log';
import { buildRouter } from './platform/route';
import { PushEvents } from './push/push-events';
import { PushReceiver } from './push/push-receiver';
import { ShareCodes } from './share/codes';
import { UrlLinks } from './share/links';
import { Subscriptions } from './subscribe/subscriptions';
import type { TemplateIds } from './subscribe/templates';
import { ROUTES, type AppServices } from './routes';
import { PhoneNumbers } from './users/phone';
import { Profiles } from './users/profiles';
import type { WechatClient } from './wechat/client';
import { ContentSecurity } from './wechat/content-security';
import type { MiniprogramState } from './wechat/miniprogram-state';
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
  /** The absolute cap (SESSION_MAX_AGE). */
  sessionMaxAgeSeconds: number;
  /** SESSION_TOUCH_INTERVAL. */
  sessionTouchIntervalSeconds: number;
  /** SESSIONS_PER_USER. */
  sessionsPerUser: number;
  /** Removals and changes from other instances (the Redis store). */
  sessionEvents?: SessionEvents;
  /** Where the login rate limits count (the store overlay's choice); this process unless given. */
  limiter?: LimiterFactory;
  /** LOGIN_RATE_*. */
  loginLimits: LoginLimitSettings;
  /** One log line per request (LOG_REQUESTS, on by default). */
  logRequests?: boolean;
  /** What /readyz asks besides the database (e.g. Redis). */
  readiness?: ReadinessChecks;
  /** Serve GET /openapi.json: Config's `serveOpenapi` (not in production unless OPENAPI_PUBLIC=true). */
  serveOpenapi?: boolean;
  /** Profile, content security, message push and the phone guard. */
  profile: ProfileDeps;
  /** Subscribe messages, Mini Program codes and URL links. */
  reach: ReachDeps;
}

/** Subscribe messages, Mini Program codes and URL links: the settings they read. */
export interface ReachDeps {
  /** WX_MINIPROGRAM_STATE: the version messages, codes and links open. */
  miniprogramState: MiniprogramState;
  /** Template ids by key (WX_TEMPLATE_*); a template without one is not sent. */
  templateIds: TemplateIds;
  /** SHARE_DAILY_LIMIT and SHARE_LINK_DAYS. */
  shareDailyLimit: number;
  shareLinkDays: number;
}

export interface ProfileDeps {
  media: MediaStorage;
  /** WX_PUSH_TOKEN and WX_PUSH_AES_KEY: both, or neither (push off). */
  pushToken?: string;
  pushAesKey?: string;
  phoneReverifyDays: number;
  phoneDailyLimit: number;
  /** CONTENT_CHECKS_PER_DAY: nickname and avatar checks one user may cause a day; unlimited unless given. */
  contentChecksPerDay?: number;
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
  const profile = d.profile;
  const perDay = profile.contentChecksPerDay;
  const counter = perDay ? (d.limiter ?? memoryLimiter)({ keyPrefix: 'wx:rl:content', points: perDay, duration: 24 * 3600 }) : undefined;
  const content = new ContentSecurity(d.wechat, counter && perDay ? { counter, perDay } : undefined);
  const avatars = new Avatars({ prisma: d.prisma, storage: profile.media, content, log: d.log });
  const reach = d.reach;
  const subscriptions = new Subscriptions({
    prisma: d.prisma,
    wechat: d.wechat,
    templateIds: reach.templateIds,
    miniprogramState: reach.miniprogramState,
    log: d.log,
  });
  const services: AppServices = {
    auth,
    logins: new Logins({ auth, wechat: d.wechat, prisma: d.prisma, appid: d.appid, limits }),
    profiles: new Profiles({ prisma: d.prisma, content }),
    avatars,
    phone: new PhoneNumbers({
      prisma: d.prisma,
      wechat: d.wechat,
      reverifyDays: profile.phoneReverifyDays,
      dailyLimit: profile.phoneDailyLimit,
    }),
    decrypt: new DecryptController(d.appid, new SessionKeyCheck(d.wechat, d.log)),
    push: new PushReceiver({
      token: profile.pushToken,
      aesKey: profile.pushAesKey,
      appid: d.appid,
      events: new PushEvents({ prisma: d.prisma, avatars, subscriptions, log: d.log, appid: d.appid }),
    }),
    ready: readiness({ database: () => checkDatabase(() => d.prisma.user.findFirst({ select: { id: true } })), ...d.readiness }),
    media: profile.media,
    subscriptions,
    shareCodes: new ShareCodes({
      prisma: d.prisma,
      wechat: d.wechat,
      storage: profile.media,
      miniprogramState: reach.miniprogramState,
      perDay: reach.shareDailyLimit,
      log: d.log,
    }),
    urlLinks: new UrlLinks({
      prisma: d.prisma,
      wechat: d.wechat,
      miniprogramState: reach.miniprogramState,
      days: reach.shareLinkDays,
      perDay: reach.shareDailyLimit,
    }),
    serveOpenapi: d.serveOpenapi,
  };
  const router = buildRouter(ROUTES, services);

  // The order every request takes:
  app.use(forwardedFromProxyOnly); //    X-Forwarded-* only from nginx on this host
  if (d.logRequests) app.use(requestLog(d.log)); // 0. one line per request, with its final status
  app.use(errorHandler(d.log)); //      1. any error, 404 and 405 → JSON, no stack
  app.use(auth.middleware()); //         2. Authorization: JWT <token> → ctx.state.jwtUser / jwtSession
  app.use(router.routes()); //           3. each route (src/routes.ts): its guard, JSON body, checks, handler
  app.use(router.allowedMethods());
  app.on('error', (err: Error) => d.log.error({ err }, 'unhandled'));
  return app;
}
