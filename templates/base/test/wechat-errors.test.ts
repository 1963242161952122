import type { Failure } from '../scripts/fake-wechat';
import { wechatRequest } from '../src/wechat/http';
import { APP_SECRET, JWT_SECRET, startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ wxTimeoutMs: 500 });
});
afterAll(() => t.close());

test.each<[string, number, string, Failure]>([
  ['40029 invalid code', 400, 'INVALID_CODE', { errcode: 40029 }],
  ['40163 code been used', 400, 'INVALID_CODE', { errcode: 40163 }],
  ['45011 rate limit', 429, 'WECHAT_RATE_LIMITED', { errcode: 45011 }],
  ['-1 system busy', 502, 'WECHAT_BUSY', { errcode: -1 }],
  ['an unknown errcode', 502, 'WECHAT_ERROR', { errcode: 61234 }],
  ['an HTML 502 page', 502, 'WECHAT_BAD_RESPONSE', 'html'],
  ['no answer within the timeout', 504, 'WECHAT_TIMEOUT', 'hang'],
])('WeChat answers %s → %i %s, no user, nothing secret in the answer', async (_what, status, code, failure) => {
  const { code: wxCode, user } = t.fake.newLogin();
  t.fake.failCode(wxCode, failure);
  const res = await t.http().post('/api/auth/login').send({ code: wxCode });
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(await t.prisma.user.count({ where: { openid: user.openid } })).toBe(0);
  for (const secret of [APP_SECRET, JWT_SECRET, t.fake.url]) expect(res.text).not.toContain(secret);
  expect(res.text).not.toContain('fake error'); // WeChat's errmsg goes to the log, not to the client
  expect(res.text).not.toMatch(/\bat .*:\d+:\d+/); // no stack frame
});

test("an answer far larger than WeChat's (it never ends) is cut at 64 KB: 502 at once, not a read until the timeout", async () => {
  const slow = await startTestApp({ wxTimeoutMs: 10_000 });
  try {
    const { code } = slow.fake.newLogin();
    slow.fake.failCode(code, 'endless');
    const started = Date.now();
    const res = await slow.http().post('/api/auth/login').send({ code });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_BAD_RESPONSE');
    expect(Date.now() - started).toBeLessThan(5_000); // the 10 s timeout never came into it
  } finally {
    await slow.close();
  }
});

test('WeChat unreachable (connection refused) → 502', async () => {
  const down = await startTestApp({ wxApiBase: 'http://127.0.0.1:9' });
  try {
    const res = await down.http().post('/api/auth/login').send({ code: 'abc' });
    expect(res.status).toBe(502);
    expect(res.body.error.code).toBe('WECHAT_UNAVAILABLE');
  } finally {
    await down.close();
  }
});

test('no log line holds the AppSecret, the JWT secret, a session_key or a token', async () => {
  const { token, wxUser } = await t.login();
  const { code } = t.fake.newLogin();
  t.fake.failCode(code, { errcode: -1 });
  await t.http().post('/api/auth/login').send({ code });
  await t.http().get('/api/auth/me').set('Authorization', `JWT ${token}`);
  const logs = t.log.lines.join('');
  expect(logs).toContain('"msg":"request failed"'); // the WeChat failure was logged
  expect(logs).toContain('"path":"/api/auth/me"'); // and so were the requests
  for (const secret of [APP_SECRET, JWT_SECRET, wxUser.session_key, token]) expect(logs).not.toContain(secret);
});

test('a WeChat base URL that does not parse (WX_API_BASE with a bad port) is WECHAT_UNAVAILABLE, and the error holds no AppSecret', async () => {
  const url = `https://api.weixin.qq.com:70000/sns/jscode2session?appid=wx1&secret=${APP_SECRET}&js_code=c`;
  const err = await wechatRequest(url, { method: 'GET' }, 500).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code: 'WECHAT_UNAVAILABLE', status: 502 });
  // what the error handler and pino's serializer would write: every own field, the cause's too
  expect(JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as Error).stack)).not.toContain(APP_SECRET);
});
