import request from 'supertest';
import { FakeWechat } from '../scripts/fake-wechat';
import { createApp } from '../src/app';
import { publicSessionId } from '../src/auth/jwt-auth';
import type { SessionChanges, SessionStore } from '../src/auth/session';
import { memoryLogger } from '../src/platform/log';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ sessionsPerUser: 3, sessionTouchIntervalSeconds: 0 });
});
afterAll(() => t.close());

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x18002831) NetType/WIFI Language/zh_CN';
const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MMWEBID/2247 MicroMessenger/8.0.47.2560(0x28002F30) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 MiniProgramEnv/android';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sid = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;

/** Logs the WeChat user `openid` in with a fresh code (and optionally a User-Agent or a token it holds). */
async function loginAs(openid: string, o: { ua?: string; auth?: string; extra?: Record<string, unknown> } = {}) {
  const { code, user } = t.fake.newLogin({ openid });
  let req = t.http().post('/api/auth/login');
  if (o.ua) req = req.set('User-Agent', o.ua);
  if (o.auth) req = req.set('Authorization', o.auth);
  const res = await req.send({ code, ...o.extra });
  expect(res.status).toBe(200);
  return { token: res.body.token as string, auth: `JWT ${res.body.token}`, body: res.body, sessionKey: user.session_key };
}
const me = (auth: string) => t.http().get('/api/auth/me').set('Authorization', auth);
const list = async (auth: string) =>
  (await t.http().get('/api/auth/sessions').set('Authorization', auth)).body.sessions as Array<Record<string, unknown>>;

test("GET /api/auth/sessions lists the user's devices: opaque ids, a short device hint, times, which one is asking", async () => {
  const openid = `o_devices_${Date.now()}`;
  const phone = await loginAs(openid, { ua: IPHONE_UA });
  await sleep(5);
  const tablet = await loginAs(openid, { ua: ANDROID_UA });
  const res = await t.http().get('/api/auth/sessions').set('Authorization', phone.auth);
  expect(res.status).toBe(200);
  const sessions = res.body.sessions as Array<Record<string, unknown>>;
  // the most recently used first: the phone, which is asking (SESSION_TOUCH_INTERVAL is 0 here)
  expect(sessions.map((s) => s.device)).toEqual(['iPhone OS 17_0, WeChat 8.0.40', 'Android 13; V2148A, WeChat 8.0.47']);
  expect(sessions.map((s) => s.current)).toEqual([true, false]);
  expect(sessions[0].id).toBe(publicSessionId(sid(phone.token)));
  for (const s of sessions) {
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(s)).not.toContain(sid(phone.token));
    expect(JSON.stringify(s)).not.toContain(sid(tablet.token));
  }
  expect(sessions.map((s) => s.expiresAt)).toEqual([phone.body.expiresAt, tablet.body.expiresAt]);
  expect((await t.http().get('/api/auth/sessions')).status).toBe(401);
});

test("DELETE /api/auth/sessions/:id ends one of the user's own sessions; someone else's id is a 404 and stays alive", async () => {
  const a = `o_del_a_${Date.now()}`;
  const a1 = await loginAs(a);
  const a2 = await loginAs(a);
  const b = await loginAs(`o_del_b_${Date.now()}`);
  const bId = publicSessionId(sid(b.token));
  const foreign = await t.http().delete(`/api/auth/sessions/${bId}`).set('Authorization', a1.auth);
  expect(foreign.status).toBe(404);
  expect(foreign.body.error.code).toBe('SESSION_NOT_FOUND');
  expect((await me(b.auth)).status).toBe(200);
  expect((await t.http().delete('/api/auth/sessions/not-an-id').set('Authorization', a1.auth)).status).toBe(404);

  const gone = await t
    .http()
    .delete(`/api/auth/sessions/${publicSessionId(sid(a2.token))}`)
    .set('Authorization', a1.auth);
  expect(gone.status).toBe(204);
  expect((await me(a2.auth)).status).toBe(401);
  expect((await me(a1.auth)).status).toBe(200);
});

test('POST /api/auth/logout-all ends every other session with keepCurrent, and all of them without', async () => {
  const openid = `o_all_${Date.now()}`;
  const [s1, s2, s3] = [await loginAs(openid), await loginAs(openid), await loginAs(openid)];
  const kept = await t.http().post('/api/auth/logout-all').set('Authorization', s1.auth).send({ keepCurrent: true });
  expect(kept.status).toBe(200);
  expect(kept.body).toEqual({ removed: 2 });
  expect([(await me(s1.auth)).status, (await me(s2.auth)).status, (await me(s3.auth)).status]).toEqual([200, 401, 401]);

  const s4 = await loginAs(openid);
  const all = await t.http().post('/api/auth/logout-all').set('Authorization', s4.auth);
  expect(all.body).toEqual({ removed: 2 });
  expect([(await me(s1.auth)).status, (await me(s4.auth)).status]).toEqual([401, 401]);
  const bad = await t
    .http()
    .post('/api/auth/logout-all')
    .set('Authorization', (await loginAs(openid)).auth)
    .send({ keepCurrent: 'yes' });
  expect(bad.status).toBe(400);
});

test('SESSIONS_PER_USER (3 here): a fourth login ends the least recently used session, not the oldest', async () => {
  const openid = `o_lru_${Date.now()}`;
  const s1 = await loginAs(openid);
  await sleep(5);
  const s2 = await loginAs(openid);
  await sleep(5);
  const s3 = await loginAs(openid);
  await sleep(5);
  expect((await me(s1.auth)).status).toBe(200); // s1 is used: s2 is now the least recently used
  await sleep(5);
  const s4 = await loginAs(openid);
  expect([(await me(s1.auth)).status, (await me(s2.auth)).status, (await me(s3.auth)).status, (await me(s4.auth)).status]).toEqual([
    200, 401, 200, 200,
  ]);
  expect(await list(s4.auth)).toHaveLength(3);
});

test("a re-login with a valid token of the same user refreshes that session's session_key in place; another user's or a bad token is ignored", async () => {
  const openid = `o_refresh_${Date.now()}`;
  const first = await loginAs(openid);
  const again = await loginAs(openid, { auth: first.auth });
  expect(sid(again.token)).toBe(sid(first.token));
  expect(again.body.expiresAt).toBe(first.body.expiresAt);
  expect(await list(first.auth)).toHaveLength(1);
  // the session now decrypts with the new session_key, not the old one
  const data = { phoneNumber: '13800138000', watermark: { appid: t.appid, timestamp: 1 } };
  const decrypt = (key: string) =>
    t.http().post('/api/wechat/decrypt').set('Authorization', first.auth).send(FakeWechat.encrypt(key, data));
  expect((await decrypt(again.sessionKey)).status).toBe(200);
  expect((await decrypt(first.sessionKey)).status).not.toBe(200);

  const other = await loginAs(`o_refresh_other_${Date.now()}`, { auth: first.auth });
  expect(sid(other.token)).not.toBe(sid(first.token));
  expect(await list(first.auth)).toHaveLength(1);
  const forged = await loginAs(openid, { auth: 'JWT not.a.token' });
  expect(sid(forged.token)).not.toBe(sid(first.token));
  expect(await list(first.auth)).toHaveLength(2);
});

/** The app's store, counting the writes that slide an expiry. */
function countingTouches(inner: SessionStore) {
  const touches: SessionChanges[] = [];
  const store: SessionStore = { ...inner, update: (id, c) => (touches.push(c), inner.update(id, c)) };
  return { store, touches };
}

test("sliding expiry: each use extends the idle expiry, never past the absolute cap (the token's exp); an unused session ends", async () => {
  // SESSION_TTL 1.5 s, SESSION_MAX_AGE 4 s, SESSION_TOUCH_INTERVAL 0.3 s
  const { store, touches } = countingTouches(t.store);
  const app = createApp({
    ...t.deps,
    store,
    limiter: undefined,
    log: memoryLogger(),
    sessionTtlSeconds: 1.5,
    sessionMaxAgeSeconds: 4,
    sessionTouchIntervalSeconds: 0.3,
    sessionCacheMs: 0,
  });
  const http = () => request(app.callback());
  const started = Date.now();
  const login = async () => (await http().post('/api/auth/login').send({ code: t.fake.newLogin().code })).body;
  const used = await login();
  const unused = await login();
  const claims = JSON.parse(Buffer.from(used.token.split('.')[1], 'base64url').toString());
  expect(claims.exp).toBe(Math.floor(Date.parse(used.expiresAt) / 1000));
  expect(Date.parse(used.expiresAt) - started).toBeGreaterThanOrEqual(3900);
  const at = (ms: number) => sleep(Math.max(0, started + ms - Date.now()));
  const status = async (b: { token: string }) => (await http().get('/api/auth/me').set('Authorization', `JWT ${b.token}`)).status;

  for (const ms of [1000, 2000, 3000]) {
    await at(ms);
    expect(await status(used)).toBe(200); // at 2 s and 3 s only because each use moved the idle expiry
  }
  expect(await status(unused)).toBe(401); // idle for 3 s > SESSION_TTL
  // many uses in a row write the expiry at most once per touch interval
  const before = touches.length;
  for (let i = 0; i < 10; i++) await status(used);
  expect(touches.length - before).toBeLessThanOrEqual(1);
  await at(4200);
  expect(await status(used)).toBe(401); // past the absolute cap, however recently used
});
