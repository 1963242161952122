import { randomBytes } from 'node:crypto';
import Router from '@koa/router';
import Koa from 'koa';
import request from 'supertest';
import { LoginRequired } from '../src/auth/guard';
import { JwtAuth } from '../src/auth/jwt-auth';
import type { SessionChanges, SessionRecord, SessionStore } from '../src/auth/session';
import { SessionCache } from '../src/auth/session-cache';
import type { AppContext, AuthState } from '../src/auth/state';
import { errorHandler } from '../src/platform/errors';
import type { User } from '../src/generated/prisma/client';
import { memoryLogger } from '../src/platform/log';
import { upsertUser } from '../src/users/users';
import { deadPrisma } from './support/dead-database';
import { startTestApp, type TestApp } from './support/test-app';
import { unreachableStore } from './support/unreachable-store';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A class-based controller, as users write them, guarded by the decorator. */
class CartController {
  @LoginRequired()
  async add(ctx: AppContext): Promise<void> {
    const items = (ctx.state.jwtSession.data.items as string[] | undefined) ?? [];
    items.push(String(ctx.query.item));
    ctx.state.jwtSession.data.items = items;
    if (ctx.query.fail) throw new Error('boom');
    ctx.body = { items };
  }
}

function cartApp(store: SessionStore = t.store) {
  const auth = new JwtAuth({
    tokens: t.tokens,
    store,
    prisma: t.prisma,
    ttlSeconds: 3600,
    cacheMs: 0,
    // the settings' own defaults (src/config.ts), not a copy of them
    maxAgeSeconds: t.config.sessionMaxAgeSeconds,
    touchIntervalSeconds: t.config.sessionTouchIntervalSeconds,
    sessionsPerUser: t.config.sessionsPerUser,
  });
  const app = new Koa<AuthState>();
  const router = new Router<AuthState>();
  const cart = new CartController();
  router.post('/login', async (ctx) => {
    const { user } = await upsertUser(t.prisma, { openid: `o_${randomBytes(6).toString('hex')}` });
    ctx.body = await auth.jwtLogin(ctx, user, randomBytes(16).toString('base64'));
  });
  router.post('/cart', (ctx) => cart.add(ctx));
  app.use(errorHandler(memoryLogger())).use(auth.middleware()).use(router.routes());
  return request(app.callback());
}

test('@LoginRequired() answers 401 JSON to anonymous requests and lets logged-in ones through', async () => {
  const http = cartApp();
  const anon = await http.post('/cart?item=a');
  expect(anon.status).toBe(401);
  expect(anon.body.error.code).toBe('UNAUTHORIZED');
  const { token } = (await http.post('/login')).body;
  expect((await http.post('/cart?item=a').set('Authorization', `JWT ${token}`)).status).toBe(200);
});

test('jwtSession.data changed by a request is there in the next; a failed request saves nothing', async () => {
  const http = cartApp();
  const auth = `JWT ${(await http.post('/login')).body.token}`;
  expect((await http.post('/cart?item=a').set('Authorization', auth)).body.items).toEqual(['a']);
  expect((await http.post('/cart?item=b&fail=1').set('Authorization', auth)).status).toBe(500);
  expect((await http.post('/cart?item=c').set('Authorization', auth)).body.items).toEqual(['a', 'c']);
});

/** The project's real store, counting the calls made to it. */
class CountingStore implements SessionStore {
  readonly calls = { create: 0, get: 0, saveData: 0, update: 0, destroy: 0 };

  constructor(private readonly inner: SessionStore) {}

  create(id: string, record: SessionRecord, maxPerUser: number, newUser?: boolean): Promise<string[]> {
    this.calls.create++;
    return this.inner.create(id, record, maxPerUser, newUser);
  }

  get(id: string): Promise<SessionRecord | null> {
    this.calls.get++;
    return this.inner.get(id);
  }

  saveData(id: string, data: Record<string, unknown>): Promise<void> {
    this.calls.saveData++;
    return this.inner.saveData(id, data);
  }

  update(id: string, changes: SessionChanges): Promise<void> {
    this.calls.update++;
    return this.inner.update(id, changes);
  }

  destroy(id: string): Promise<void> {
    this.calls.destroy++;
    return this.inner.destroy(id);
  }

  list(userId: string) {
    return this.inner.list(userId);
  }

  destroyAll(userId: string, keep?: string) {
    return this.inner.destroyAll(userId, keep);
  }
}

test('a request that does not touch jwtSession.data writes nothing to the store; one that changes it writes once', async () => {
  const counting = new CountingStore(t.store);
  const app = t.appWith({ store: counting });
  const { auth } = await t.login();
  expect((await request(app.callback()).get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
  expect(counting.calls).toEqual({ create: 0, get: 1, saveData: 0, update: 0, destroy: 0 });

  const cart = cartApp(counting);
  const cartAuth = `JWT ${(await cart.post('/login')).body.token}`;
  expect((await cart.post('/cart?item=a').set('Authorization', cartAuth)).status).toBe(200);
  expect(counting.calls).toEqual({ create: 1, get: 2, saveData: 1, update: 0, destroy: 0 });
});

test('the session cache: an entry lives SESSION_CACHE_MS, never past its session, and the least recently used goes first', () => {
  let clock = 1_000_000;
  const user = { id: '0b7e4f6c-2a51-4c1e-9d3a-5f6e7a8b9c0d', openid: 'o_cache' } as User;
  const record = (expiresInMs: number): SessionRecord => ({
    userId: user.id,
    payload: {},
    sessionKey: 'k',
    data: { n: 1 },
    expiresAt: clock + expiresInMs,
    maxExpiresAt: clock + expiresInMs,
    createdAt: clock,
    lastUsedAt: clock,
    device: null,
  });
  const clocks = [() => clock, () => clock] as const; // the wall clock, and the one an entry's age is read on
  const cache = new SessionCache(2000, 2, ...clocks);

  cache.set('long', record(60_000), user);
  cache.set('short', record(500), user);
  expect(cache.get('short')?.dataJson).toBe('{"n":1}');
  clock += 600;
  expect([cache.get('long') !== undefined, cache.get('short') !== undefined]).toEqual([true, false]);
  clock += 1500;
  expect(cache.get('long')).toBeUndefined();

  for (const sid of ['a', 'b']) cache.set(sid, record(60_000), user);
  cache.get('a'); // a is now the most recently used
  cache.set('c', record(60_000), user);
  expect(['a', 'b', 'c'].map((sid) => cache.get(sid) !== undefined)).toEqual([true, false, true]);

  const off = new SessionCache(0, 2, ...clocks);
  expect(off.set('a', record(60_000), user).user).toBe(user); // still hands the entry back
  expect(off.get('a')).toBeUndefined();
});

test('a cached session is kept SESSION_CACHE_MS of real time even when the wall clock steps back (an NTP correction)', async () => {
  const realNow = Date.now;
  let step = 0;
  const wall = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + step);
  try {
    const cache = new SessionCache(50, 10); // the clocks JwtAuth gives it
    const now = Date.now();
    const record = { userId: 'u', payload: {}, sessionKey: 'k', data: {}, device: null, createdAt: now, lastUsedAt: now };
    cache.set('s', { ...record, expiresAt: now + 60_000, maxExpiresAt: now + 60_000 }, { id: 'u' } as User);
    step = -3_600_000;
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.get('s')).toBeUndefined();
  } finally {
    wall.mockRestore();
  }
});

test('/healthz answers 503 while the database does not answer', async () => {
  const prisma = deadPrisma();
  const app = t.appWith({ prisma });
  try {
    const res = await request(app.callback()).get('/healthz');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('DATABASE_UNAVAILABLE');
  } finally {
    await prisma.$disconnect();
  }
});

test('a session store that cannot answer → 503 (never 200, never a crash), and anonymous routes keep working', async () => {
  const { store, close } = unreachableStore();
  const app = t.appWith({ store });
  try {
    const token = t.tokens.sign(randomBytes(32).toString('base64url'), new Date(Date.now() + 60_000));
    const res = await request(app.callback()).get('/api/auth/me').set('Authorization', `JWT ${token}`);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('SESSION_STORE_UNAVAILABLE');
    expect((await request(app.callback()).get('/healthz')).status).toBe(200);
  } finally {
    await close();
  }
});
