import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http_ from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { FakeWechat } from '../../scripts/fake-wechat';
import { createApp } from '../../src/app';
import type { SessionRecord, SessionStore } from '../../src/auth/session';
import { loadConfig } from '../../src/config';
import { createDeps } from '../../src/deps';
import { memoryLogger } from '../../src/log';
import { testDatabaseUrl } from './database';

export const APP_SECRET = 'fake-app-secret-0123456789abcdef';
export const JWT_SECRET = randomBytes(48).toString('base64url');

export interface TestAppOptions {
  sessionTtlSeconds?: number;
  sessionCacheMs?: number;
  wxTimeoutMs?: number;
  /** Point the app at another WeChat (e.g. a closed port). */
  wxApiBase?: string;
  /** Turn message push on: the app listens on loopback and the fake WeChat pushes to it (safe mode). */
  push?: boolean;
  phoneReverifyDays?: number;
  phoneDailyLimit?: number;
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
  const appid = `wx${randomBytes(8).toString('hex')}`;
  const fake = await new FakeWechat({ appid, secret: APP_SECRET }).start();
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
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    SESSION_TTL: String(o.sessionTtlSeconds ?? 30 * 24 * 3600),
    SESSION_CACHE_MS: String(o.sessionCacheMs ?? 0),
    LOG_REQUESTS: 'true',
    PUBLIC_BASE_URL: 'https://media.test',
    UPLOAD_DIR: uploadDir,
    WX_PUSH_TOKEN: push?.token,
    WX_PUSH_AES_KEY: push?.aesKey,
    PHONE_REVERIFY_DAYS: o.phoneReverifyDays === undefined ? undefined : String(o.phoneReverifyDays),
    PHONE_DAILY_LIMIT: o.phoneDailyLimit === undefined ? undefined : String(o.phoneDailyLimit),
  });
  const log = memoryLogger();
  const deps = await createDeps(config, log);
  const store = forgetOnClose(deps.store);
  const app = createApp({ ...deps, store });
  const http = () => request(app.callback());
  // WeChat pushes over real HTTP: only apps that take pushes listen
  let server: http_.Server | undefined;
  if (push) {
    server = http_.createServer(app.callback());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    fake.pushTarget = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/wechat/push`, ...push };
  }

  /** Logs a fresh fake WeChat user in and returns the token and what the server said. */
  async function login(extra: Record<string, unknown> = {}) {
    const { code, user } = fake.newLogin();
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
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise((resolve) => server!.close(resolve));
      }
      await store.destroyCreated();
      await deps.close();
      await fake.stop();
      fs.rmSync(uploadDir, { recursive: true, force: true });
    },
  };
}

/**
 * The app's store, remembering the sessions it creates so that `close()` deletes them: a shared Redis
 * keeps no 30-day leftovers of a test run.
 */
function forgetOnClose(store: SessionStore): SessionStore & { destroyCreated(): Promise<void> } {
  const created = new Set<string>();
  return {
    create: (id: string, record: SessionRecord) => {
      created.add(id);
      return store.create(id, record);
    },
    get: (id) => store.get(id),
    saveData: (id, data) => store.saveData(id, data),
    destroy: (id) => store.destroy(id),
    async destroyCreated() {
      await Promise.all([...created].map((id) => store.destroy(id)));
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
