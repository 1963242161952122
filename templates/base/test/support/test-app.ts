import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http_ from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FakeWechat, type FakeUser } from '../../scripts/fake-wechat';
import { createApp, type AppDeps } from '../../src/app';
import { memoryLimiter, type LimiterFactory } from '../../src/auth/login-limits';
import type { SessionRecord, SessionStore } from '../../src/auth/session';
import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/deps';
import { memoryLogger } from '../../src/platform/log';
import { testDatabaseUrl } from './database';
import { testAppid } from './test-run';

export const APP_SECRET = 'fake-app-secret-0123456789abcdef';
export const JWT_SECRET = randomBytes(48).toString('base64url');

export interface TestAppOptions {
  sessionTtlSeconds?: number;
  sessionCacheMs?: number;
  sessionsPerUser?: number;
  sessionTouchIntervalSeconds?: number;
  /** Another instance of the same deployment: same AppID (so the same Redis keys and channel), same fake WeChat. */
  sameAppAs?: { appid: string; fake: FakeWechat };
  redisUrl?: string;
  /** LOGIN_RATE_PER_IP etc.; high unless given, since every test request comes from one IP. */
  loginRatePerIp?: number;
  loginRatePerOpenid?: number;
  wxTimeoutMs?: number;
  /** Point the app at another WeChat (e.g. a closed port). */
  wxApiBase?: string;
  /** Turn message push on: the app listens on loopback and the fake WeChat pushes to it (safe mode). */
  push?: boolean;
  phoneReverifyDays?: number;
  phoneDailyLimit?: number;
  /** More settings, e.g. `{ WX_TEMPLATE_REVIEW_RESULT: 'tmpl…' }`. */
  env?: Record<string, string>;
  contentChecksPerDay?: number;
}

/** A 43-character EncodingAESKey, made fresh like the WeChat console's 随机生成. */
const newAesKey = () =>
  randomBytes(32)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(43, 'A')
    .slice(0, 43);

/**
 * The generated app, wired by the real createDeps from a real config, against the test database, the
 * project's own session store and a fake WeChat on loopback. Each app gets its own AppID, so that apps
 * sharing one Redis (in parallel test runs too) never share a WeChat access token.
 */
export async function startTestApp(o: TestAppOptions = {}) {
  const appid = o.sameAppAs?.appid ?? testAppid();
  const fake = o.sameAppAs?.fake ?? (await new FakeWechat({ appid, secret: APP_SECRET }).start());
  // uploads go to a folder of this test app's own, deleted on close
  const uploadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'uploads-'));
  const push = o.push ? { token: `tok${randomBytes(8).toString('hex')}`, aesKey: newAesKey() } : undefined;
  const config = loadConfig({
    WX_APPID: appid,
    WX_SECRET: APP_SECRET,
    WX_API_BASE: o.wxApiBase ?? fake.url,
    WX_TIMEOUT_MS: String(o.wxTimeoutMs ?? 2000),
    JWT_SECRET,
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: o.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SESSION_TTL: String(o.sessionTtlSeconds ?? 30 * 24 * 3600),
    SESSION_CACHE_MS: String(o.sessionCacheMs ?? 0),
    SESSIONS_PER_USER: String(o.sessionsPerUser ?? 10),
    SESSION_TOUCH_INTERVAL: String(o.sessionTouchIntervalSeconds ?? 3600),
    LOGIN_RATE_PER_IP: String(o.loginRatePerIp ?? 100_000),
    LOGIN_RATE_PER_OPENID: String(o.loginRatePerOpenid ?? 100_000),
    LOG_REQUESTS: 'true',
    PUBLIC_BASE_URL: 'https://media.test',
    UPLOAD_DIR: uploadDir,
    WX_PUSH_TOKEN: push?.token,
    WX_PUSH_AES_KEY: push?.aesKey,
    PHONE_REVERIFY_DAYS: o.phoneReverifyDays === undefined ? undefined : String(o.phoneReverifyDays),
    PHONE_DAILY_LIMIT: o.phoneDailyLimit === undefined ? undefined : String(o.phoneDailyLimit),
    ...o.env,
    CONTENT_CHECKS_PER_DAY: String(o.contentChecksPerDay ?? 100_000),
  });
  const log = memoryLogger();
  const deps = await createDeps(config, log);
  const store = forgetOnClose(deps.store);
  const limiter = forgetCounters(deps.limiter ?? memoryLimiter, appid); // instances of one app share counters
  const app = createApp({ ...deps, store, limiter });
  const http = () => request(app.callback());
  // WeChat pushes over real HTTP: only apps that take pushes listen
  let server: http_.Server | undefined;
  if (push) {
    server = http_.createServer(app.callback());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    fake.pushTarget = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/wechat/push`, ...push };
  }

  /** Logs a fake WeChat user in (a fresh one unless `as` names it) and returns the token and what the server said. */
  async function login(extra: Record<string, unknown> = {}, as: Partial<FakeUser> = {}) {
    const { code, user } = fake.newLogin(as);
    const res = await http()
      .post('/api/auth/login')
      .send({ code, ...extra });
    if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
    return { token: res.body.token as string, body: res.body, wxUser: user, auth: `JWT ${res.body.token}` };
  }

  return {
    app,
    http,
    fake,
    appid,
    login,
    log,
    prisma: deps.prisma,
    store,
    tokens: deps.tokens,
    wechat: deps.wechat,
    uploadDir,
    push,
    /** The files in the upload folder. */
    uploads: () => fs.readdirSync(uploadDir).sort(),
    deps,
    /** The settings it runs with: the schema's defaults (src/config.ts) with this test's few changes. */
    config,
    /** A second app on this one's dependencies with some replaced (a failing store, a dead database). */
    appWith: (overrides: Partial<AppDeps>) => createApp({ ...deps, store, limiter, log: memoryLogger(), sessionCacheMs: 0, ...overrides }),
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      try {
        await store.destroyCreated();
        await limiter.deleteCounted();
        // the shared access token of this test AppID (Redis) goes too, unless another instance still uses it
        if (!o.sameAppAs) await deps.wechat.forgetAccessToken().catch(() => undefined);
      } finally {
        // closed even when the clean-up fails (a Redis a test made hang), or Jest does not exit
        await deps.close();
        fs.rmSync(uploadDir, { recursive: true, force: true });
        if (!o.sameAppAs) await fake.stop();
      }
    },
  };
}

/**
 * The app's store, remembering the sessions it creates so that `close()` deletes them: a shared Redis
 * keeps no 30-day leftovers of a test run.
 */
export function forgetOnClose(store: SessionStore): SessionStore & { destroyCreated(): Promise<void> } {
  const created = new Set<string>();
  const users = new Set<string>();
  return {
    create: (id: string, record: SessionRecord, maxPerUser: number, newUser?: boolean) => {
      created.add(id);
      users.add(record.userId);
      return store.create(id, record, maxPerUser, newUser);
    },
    get: (id) => store.get(id),
    saveData: (id, data) => store.saveData(id, data),
    update: (id, changes) => store.update(id, changes),
    destroy: (id) => store.destroy(id),
    list: (userId) => store.list(userId),
    destroyAll: (userId, keep) => store.destroyAll(userId, keep),
    async destroyCreated() {
      await Promise.all([...created].map((id) => store.destroy(id)));
      // and each user's index of sessions (Redis), which still names sessions that expired on their own
      await Promise.all([...users].map((userId) => store.destroyAll(userId)));
    },
  };
}

/**
 * The store's rate limiters, each with a prefix of this test app's own, remembering the keys they count
 * so that `close()` deletes the counters (in Redis too).
 */
export function forgetCounters(factory: LimiterFactory, run: string): LimiterFactory & { deleteCounted(): Promise<void> } {
  const counted: Array<() => Promise<boolean>> = [];
  const wrapped: LimiterFactory = (o) => {
    const limiter = factory({ ...o, keyPrefix: `${o.keyPrefix}:test-${run}` });
    return {
      consume(key: string) {
        counted.push(() => limiter.delete(key));
        return limiter.consume(key);
      },
      delete: (key: string) => limiter.delete(key),
    };
  };
  return Object.assign(wrapped, {
    async deleteCounted() {
      await Promise.all(counted.splice(0).map((del) => del()));
    },
  });
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
