import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import type Koa from 'koa';
import { forwardedFromProxies, forwardedFromProxyOnly, proxyList, trustedProxies } from '../src/platform/forwarded';
import { decorated, LoginRequired } from '../src/auth/guard';
import type { SessionStore } from '../src/auth/session';
import { FakeWechat } from '../scripts/fake-wechat';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const usersWith = (openid: string) => t.prisma.user.count({ where: { openid } });

test.each(['/api/auth/login/', '/API/AUTH/LOGIN', '/api/auth/Login', '/api//auth/login'])(
  'POST %s is not the login route: 404 JSON, and WeChat is not called',
  async (path) => {
    const { code } = t.fake.newLogin();
    const before = t.fake.calls.jscode2session;
    const res = await t.http().post(path).send({ code });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    expect(t.fake.calls.jscode2session).toBe(before);
  },
);

test('a wrong method is a 405 JSON error that lists the allowed one', async () => {
  const res = await t.http().get('/api/auth/login');
  expect(res.status).toBe(405);
  expect(res.body.error.code).toBe('METHOD_NOT_ALLOWED');
  expect(res.headers.allow).toBe('POST');
});

test('a body that is not JSON is a 415, not a misleading 400; WeChat is not called', async () => {
  const before = t.fake.calls.jscode2session;
  const form = await t.http().post('/api/auth/login').type('form').send('code=abc');
  expect(form.status).toBe(415);
  expect(form.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  const text = await t.http().post('/api/auth/login').set('content-type', 'text/plain').send('{"code":"abc"}');
  expect(text.status).toBe(415);
  expect(t.fake.calls.jscode2session).toBe(before);
});

test('a JSON body that is not an object is a 400', async () => {
  const res = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('["code"]');
  expect(res.status).toBe(400);
});

test('a NUL byte in decrypted user info is cleaned, not a 500 (PostgreSQL refuses NUL in text)', async () => {
  const { code, user } = t.fake.newLogin();
  const info = { nickName: 'Mi\u0000ng', avatarUrl: '\u0000', watermark: { appid: t.appid, timestamp: 1 } };
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ code, ...FakeWechat.encrypt(user.session_key, info) });
  expect(res.status).toBe(200);
  expect(res.body.user).toMatchObject({ nickname: 'Ming', avatarUrl: null });
});

test('an openid with a NUL byte from "WeChat" is not WeChat\'s answer: 502, no user', async () => {
  // a prefix no other test's user has (theirs are random hex, and tests share the database)
  const prefix = `o_nul_${randomBytes(8).toString('hex')}`;
  const { code } = t.fake.newLogin({ openid: `${prefix}\u0000def` });
  const res = await t.http().post('/api/auth/login').send({ code });
  expect(res.status).toBe(502);
  expect(res.body.error.code).toBe('WECHAT_BAD_RESPONSE');
  expect(await t.prisma.user.count({ where: { openid: { startsWith: prefix } } })).toBe(0);
});

test('two requests with one code: each runs its own signature check', async () => {
  const { code, user } = t.fake.newLogin();
  t.fake.slowCode(code, 500); // both requests are in flight together, however busy the machine
  const rawData = '{"nickName":"A"}';
  const signature = createHash('sha1')
    .update(rawData + user.session_key)
    .digest('hex');
  const [good, forged] = await Promise.all([
    t.http().post('/api/auth/login').send({ code, rawData, signature }),
    t
      .http()
      .post('/api/auth/login')
      .send({ code, rawData, signature: 'b'.repeat(40) }),
  ]);
  expect(good.status).toBe(200);
  expect(forged.status).toBe(400);
  expect(forged.body.error.code).toBe('BAD_SIGNATURE');
});

/** The app's store with one operation that fails like a server that went away. */
function storeFailing(op: 'create' | 'destroy'): SessionStore {
  const s = t.store;
  const down = () => Promise.reject(new Error('connect ECONNREFUSED'));
  return {
    ...s,
    create: op === 'create' ? down : (id, r, max) => s.create(id, r, max),
    destroy: op === 'destroy' ? down : (id) => s.destroy(id),
  };
}

test('the session store failing at login → 503, and the new user is not left behind', async () => {
  const app = t.appWith({ store: storeFailing('create') });
  const { code, user } = t.fake.newLogin();
  const res = await request(app.callback()).post('/api/auth/login').send({ code });
  expect(res.status).toBe(503);
  expect(res.body.error.code).toBe('SESSION_STORE_UNAVAILABLE');
  expect(await usersWith(user.openid)).toBe(0);
});

test('the session store failing at logout → 503, never a 204 that did not happen', async () => {
  const app = t.appWith({ store: storeFailing('destroy') });
  const { auth } = await t.login();
  const res = await request(app.callback()).post('/api/auth/logout').set('Authorization', auth);
  expect(res.status).toBe(503);
  expect((await t.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
});

test('routes.ts cannot claim a decorator guard that is missing', () => {
  const plain = async () => undefined;
  expect(() => decorated(LoginRequired, plain)).toThrow(/no @LoginRequired\(\) decorator/);
});

test('/livez answers without asking anything; /readyz and /healthz answer while the database does', async () => {
  expect((await t.http().get('/livez')).body).toEqual({ status: 'ok' });
  expect((await t.http().get('/readyz')).body).toEqual({ status: 'ok' });
  expect((await t.http().get('/healthz')).body).toEqual({ status: 'ok' });
});

test('X-Forwarded-For and -Proto are believed from nginx on this host only; X-Forwarded-Host from no one', async () => {
  const seen = (remoteAddress: string, headers: Record<string, string>) => {
    const ctx = { req: { headers: { ...headers }, socket: { remoteAddress } } } as unknown as Koa.Context;
    void forwardedFromProxyOnly(ctx, async () => undefined);
    return ctx.req.headers;
  };
  const sent = { 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
  expect(seen('127.0.0.1', sent)).toEqual({ 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' });
  expect(seen('::ffff:127.0.0.1', sent)).toEqual({ 'x-forwarded-for': '6.6.6.6', 'x-forwarded-proto': 'https' });
  // a client that reached the app directly cannot pick the address the login limit counts
  expect(seen('203.0.113.7', sent)).toEqual({});
  expect(seen('::ffff:10.0.0.8', sent)).toEqual({});
});

test('TRUSTED_PROXIES (a compose network, an engine gateway): those peers are believed too, others still not', () => {
  const only = forwardedFromProxies(trustedProxies(['10.88.0.0/16', 'fd00::1']));
  const seen = (remoteAddress: string) => {
    const ctx = { req: { headers: { 'x-forwarded-for': '6.6.6.6' }, socket: { remoteAddress } } } as unknown as Koa.Context;
    void only(ctx, async () => undefined);
    return ctx.req.headers['x-forwarded-for'];
  };
  expect([seen('10.88.0.1'), seen('::ffff:10.88.3.4'), seen('fd00::1'), seen('127.0.0.1')]).toEqual(Array(4).fill('6.6.6.6'));
  expect([seen('10.89.0.1'), seen('fd00::2'), seen('172.17.0.1')]).toEqual([undefined, undefined, undefined]);
  expect(proxyList(' 10.88.0.0/16, 172.18.0.5 ')).toEqual(['10.88.0.0/16', '172.18.0.5']);
  expect(proxyList('10.0.0.0/8,fd00::/32')).toEqual(['10.0.0.0/8', 'fd00::/32']); // the widest it takes
  for (const bad of ['10.88.0.0/33', 'nginx', '10.88.0.0/16/1', '10.0.0.0/x', '0.0.0.0/0', '::/0', '10.0.0.0/7', '2001:db8::/31'])
    expect(proxyList(bad)).toBeNull();
});
