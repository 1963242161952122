import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ loginRatePerIp: 5, loginRatePerOpenid: 2 });
});
afterAll(() => t.close());

// Koa trusts nginx's last hop only (X-Forwarded-For, one entry): each test is its own client IP.
const fromIp = (ip: string) => (path: string) => t.http().post(path).set('X-Forwarded-For', ip);

test('40 parallel bad logins from one IP make at most LOGIN_RATE_PER_IP calls to WeChat; the rest are 429 with Retry-After', async () => {
  const post = fromIp('203.0.113.7');
  const before = t.fake.calls.jscode2session;
  const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post('/api/auth/login').send({ code: `bad_code_${i}` })));
  expect(t.fake.calls.jscode2session - before).toBeLessThanOrEqual(5);
  const limited = answers.filter((r) => r.status === 429);
  expect(limited).toHaveLength(35);
  expect(answers.filter((r) => r.status === 400)).toHaveLength(5); // WeChat's "invalid code"
  for (const r of limited) {
    expect(r.body).toEqual({ error: { code: 'TOO_MANY_REQUESTS', message: expect.any(String) } });
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
  }
  // a good code from that IP is refused too, without spending it: it still works from elsewhere
  const { code } = t.fake.newLogin();
  expect((await post('/api/auth/login').send({ code })).status).toBe(429);
  expect((await fromIp('203.0.113.8')('/api/auth/login').send({ code })).status).toBe(200);
});

test('one WeChat user gets LOGIN_RATE_PER_OPENID logins per window, from any IP; other users are not affected', async () => {
  const { user, code } = t.fake.newLogin();
  const again = () => t.fake.newLogin({ openid: user.openid }).code;
  expect((await fromIp('198.51.100.1')('/api/auth/login').send({ code })).status).toBe(200);
  expect((await fromIp('198.51.100.2')('/api/auth/login').send({ code: again() })).status).toBe(200);
  const third = await fromIp('198.51.100.3')('/api/auth/login').send({ code: again() });
  expect(third.status).toBe(429);
  expect(third.body.error.code).toBe('TOO_MANY_REQUESTS');
  expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect((await fromIp('198.51.100.3')('/api/auth/login').send({ code: t.fake.newLogin().code })).status).toBe(200);
});
