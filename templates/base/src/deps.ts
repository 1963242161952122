import type { AppDeps } from './app';
import { createStore } from './auth/store';
import { TokenService } from './auth/tokens';
import type { Config } from './config';
import { createPrisma } from './db';
import type { Logger } from './log';
import { LocalDiskStorage } from './media/storage';
import { platform } from './platform';
import { WechatClient } from './wechat/client';

export interface Deps extends AppDeps {
  /** What /readyz asks besides the database. */
  readiness?: Record<string, () => Promise<unknown>>;
  close(): Promise<void>;
}

/**
 * Builds every long-lived dependency from the config. The database (`src/db.ts`) and the session store
 * (`src/auth/store.ts`) are the ones this project was generated with.
 */
export async function createDeps(config: Config, log: Logger): Promise<Deps> {
  const prisma = createPrisma(config.databaseUrl);
  let stores;
  try {
    stores = await createStore(config, { prisma, log });
  } catch (err) {
    await prisma.$disconnect();
    throw err;
  }
  const wechat = new WechatClient({
    appid: config.wxAppid,
    secret: config.wxSecret,
    baseUrl: config.wxApiBase,
    timeoutMs: config.wxTimeoutMs,
    tokenCache: stores.tokenCache,
    openApiService: config.wxOpenApiService,
  });
  return {
    prisma,
    store: stores.store,
    tokens: new TokenService(config.jwtSecret),
    readiness: stores.readiness,
    wechat,
    log,
    appid: config.wxAppid,
    sessionTtlSeconds: config.sessionTtlSeconds,
    sessionMaxAgeSeconds: config.sessionMaxAgeSeconds,
    sessionTouchIntervalSeconds: config.sessionTouchIntervalSeconds,
    sessionsPerUser: config.sessionsPerUser,
    sessionCacheMs: config.sessionCacheMs,
    sessionEvents: stores.events,
    limiter: stores.limiter,
    loginLimits: config.loginLimits,
    logRequests: config.logRequests,
    serveOpenapi: config.serveOpenapi,
    ...platform(config, prisma),
    profile: {
      media: new LocalDiskStorage(config.uploadDir, config.publicBaseUrl),
      pushToken: config.pushToken,
      pushAesKey: config.pushAesKey,
      phoneReverifyDays: config.phoneReverifyDays,
      phoneDailyLimit: config.phoneDailyLimit,
    },
    async close() {
      await stores.close();
      await prisma.$disconnect();
    },
  };
}
