import { FakeWechat } from '../scripts/fake-wechat';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const usersWith = (openid: string) => t.prisma.user.count({ where: { openid } });
const decodeClaims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());

test('login → me → logout → me answers 401', async () => {
  const { auth, body } = await t.login();
  expect(body).toEqual({
    token: expect.any(String),
    expiresAt: expect.any(String),
    user: expect.objectContaining({ id: expect.any(String) }),
  });
  const days = (Date.parse(body.expiresAt) - Date.now()) / 86_400_000;
  expect(days).toBeGreaterThan(29.9);

  const me = await t.http().get('/api/auth/me').set('Authorization', auth);
  expect(me.status).toBe(200);
  expect(me.body.user.id).toBe(body.user.id);

  expect((await t.http().post('/api/auth/logout').set('Authorization', auth)).status).toBe(204);
  const after = await t.http().get('/api/auth/me').set('Authorization', auth);
  expect(after.status).toBe(401);
  expect(after.body.error.code).toBe('UNAUTHORIZED');
});

test('Bearer works like JWT; anonymous requests get 401 JSON', async () => {
  const { token } = await t.login();
  expect((await t.http().get('/api/auth/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
  const anon = await t.http().get('/api/auth/me');
  expect(anon.status).toBe(401);
  expect(anon.body).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
});

test('the token names a session only: no openid, unionid or session_key, in it or in any answer', async () => {
  const unionid = 'u_secret_union';
  const { code, user } = t.fake.newLogin({ unionid });
  const res = await t.http().post('/api/auth/login').send({ code });
  const claims = decodeClaims(res.body.token);
  expect(Object.keys(claims).sort()).toEqual(['exp', 'iat', 'sid']);
  const me = await t.http().get('/api/auth/me').set('Authorization', `JWT ${res.body.token}`);
  for (const text of [JSON.stringify(res.body), JSON.stringify(me.body), res.body.token]) {
    expect(text).not.toContain(user.session_key);
    expect(text).not.toContain(user.openid);
    expect(text).not.toContain(unionid);
  }
});

test("encryptedData fills in the profile; another AppID's data is refused and leaves no user", async () => {
  const { code, user } = t.fake.newLogin();
  const profile = {
    nickName: '小明',
    avatarUrl: 'https://thirdwx.qlogo.cn/a.png',
    unionId: 'un_1',
    watermark: { appid: t.appid, timestamp: 1 },
  };
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ code, ...FakeWechat.encrypt(user.session_key, profile) });
  expect(res.status).toBe(200);
  expect(res.body.user).toMatchObject({ nickname: '小明', avatarUrl: profile.avatarUrl });
  expect((await t.prisma.user.findUnique({ where: { openid: user.openid } }))?.unionid).toBe('un_1');

  const other = t.fake.newLogin();
  const foreign = FakeWechat.encrypt(other.user.session_key, { ...profile, watermark: { appid: 'wx9999999999999999' } });
  const refused = await t
    .http()
    .post('/api/auth/login')
    .send({ code: other.code, ...foreign });
  expect(refused.status).toBe(400);
  expect(refused.body.error.code).toBe('WATERMARK_MISMATCH');
  expect(await usersWith(other.user.openid)).toBe(0);
});

test.each([
  ['garbage encryptedData', { encryptedData: 'bm90IGVuY3J5cHRlZA==', iv: Buffer.alloc(16).toString('base64') }, 'DECRYPT_FAILED'],
  ['an iv of the wrong length', { encryptedData: Buffer.alloc(32).toString('base64'), iv: 'AAAA' }, 'DECRYPT_FAILED'],
  ['"+" turned into a space', { encryptedData: 'ab cd', iv: Buffer.alloc(16).toString('base64') }, 'DECRYPT_FAILED'],
  ['a wrong signature', { rawData: '{"nickName":"x"}', signature: 'a'.repeat(40) }, 'BAD_SIGNATURE'],
  ['encryptedData without iv', { encryptedData: 'AAAA' }, 'BAD_REQUEST'],
])('login with %s → 400 and no user, no session', async (_what, extra, code) => {
  const login = t.fake.newLogin();
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ code: login.code, ...extra });
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe(code);
  expect(await usersWith(login.user.openid)).toBe(0);
});

test('a correct rawData signature is accepted', async () => {
  const { createHash } = await import('node:crypto');
  const { code, user } = t.fake.newLogin();
  const rawData = '{"nickName":"Band","gender":1}';
  const signature = createHash('sha1')
    .update(rawData + user.session_key)
    .digest('hex');
  expect((await t.http().post('/api/auth/login').send({ code, rawData, signature })).status).toBe(200);
});

test('identity comes from jscode2session only: openid, unionid and session_key in the body are ignored', async () => {
  const victim = await t.login();
  const { code, user } = t.fake.newLogin();
  const res = await t
    .http()
    .post('/api/auth/login')
    .send({ code, openid: victim.wxUser.openid, unionid: 'x', session_key: 'AAAAAAAAAAAAAAAAAAAAAA==' });
  expect(res.status).toBe(200);
  expect(res.body.user.id).not.toBe(victim.body.user.id);
  expect(await usersWith(user.openid)).toBe(1);
});

test('the same code sent twice at once gives one session, with one call to WeChat', async () => {
  const { code } = t.fake.newLogin();
  t.fake.slowCode(code, 500); // both requests are in flight together, however busy the machine
  const before = t.fake.calls.jscode2session;
  const [a, b] = await Promise.all([1, 2].map(() => t.http().post('/api/auth/login').send({ code })));
  expect([a.status, b.status]).toEqual([200, 200]);
  expect(a.body.token).toBe(b.body.token);
  expect(t.fake.calls.jscode2session - before).toBe(1);
  const again = await t.http().post('/api/auth/login').send({ code });
  expect(again.status).toBe(400);
  expect(again.body.error.code).toBe('INVALID_CODE');
});

test('concurrent first logins of one openid make one user and no 500', async () => {
  const first = t.fake.newLogin();
  const codes = [first.code, ...Array.from({ length: 4 }, () => t.fake.newLogin({ openid: first.user.openid }).code)];
  const answers = await Promise.all(codes.map((code) => t.http().post('/api/auth/login').send({ code })));
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(new Set(answers.map((r) => r.body.user.id)).size).toBe(1);
  expect(await usersWith(first.user.openid)).toBe(1);
});

test.each([
  ['no code', {}],
  ['a number', { code: 12345 }],
  ['129 characters', { code: 'a'.repeat(129) }],
  ['characters outside [A-Za-z0-9_-]', { code: 'abc$%^' }],
  ['a path', { code: '../../etc/passwd' }],
])('login with %s → 400 and WeChat is not called', async (_what, body) => {
  const before = t.fake.calls.jscode2session;
  const res = await t.http().post('/api/auth/login').send(body);
  expect(res.status).toBe(400);
  expect(res.body.error.code).toBe('INVALID_CODE');
  expect(t.fake.calls.jscode2session).toBe(before);
});

test('invalid JSON → 400, a 2 MB body → 413, both as JSON errors', async () => {
  const bad = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"code": ');
  expect(bad.status).toBe(400);
  expect(bad.body.error.code).toBe('BAD_REQUEST');
  const big = await t
    .http()
    .post('/api/auth/login')
    .set('content-type', 'application/json')
    .send(JSON.stringify({ code: 'x', pad: 'a'.repeat(2 * 1024 * 1024) }));
  expect(big.status).toBe(413);
  expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
});

test("logging out one device leaves the user's other logins alone", async () => {
  const phone = await t.login();
  const { code } = t.fake.newLogin({ openid: phone.wxUser.openid });
  const tablet = (await t.http().post('/api/auth/login').send({ code })).body.token;
  await t.http().post('/api/auth/logout').set('Authorization', phone.auth);
  expect((await t.http().get('/api/auth/me').set('Authorization', phone.auth)).status).toBe(401);
  expect((await t.http().get('/api/auth/me').set('Authorization', `JWT ${tablet}`)).status).toBe(200);
});

test("a deleted user's token stops working", async () => {
  const { auth, body } = await t.login();
  await t.prisma.user.delete({ where: { id: body.user.id } });
  expect((await t.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(401);
});

test('an expired session is refused even while its token is inside the clock tolerance', async () => {
  const short = await startTestApp({ sessionTtlSeconds: 60 });
  try {
    const { auth, body } = await short.login();
    expect((await short.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
    const sid = decodeClaims(body.token).sid as string;
    const record = await short.store.get(sid);
    await short.store.destroy(sid);
    await short.store.create(sid, { ...record!, expiresAt: Date.now() + 300 }, 10);
    await new Promise((r) => setTimeout(r, 400));
    expect((await short.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(401);
  } finally {
    await short.close();
  }
});

test('phone: the number from WeChat is stored on the user; a stale access token is refreshed once', async () => {
  const { auth, body } = await t.login();
  const res = await t
    .http()
    .post('/api/auth/phone')
    .set('Authorization', auth)
    .send({ code: t.fake.newPhoneCode('13912345678') });
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ phoneNumber: '13912345678', user: { phone: '13912345678' } });
  expect((await t.prisma.user.findUnique({ where: { id: body.user.id } }))?.phone).toBe('13912345678');

  t.fake.rotateAccessToken();
  const tokensBefore = t.fake.calls.stableToken;
  const again = await t
    .http()
    .post('/api/auth/phone')
    .set('Authorization', auth)
    .send({ code: t.fake.newPhoneCode('13700000000'), refresh: true }); // a number verified today is not re-bought unless asked
  expect(again.status).toBe(200);
  expect(t.fake.calls.stableToken - tokensBefore).toBe(1);
  expect((await t.http().post('/api/auth/phone').send({ code: 'abc' })).status).toBe(401);
});

test('concurrent phone calls fetch the access token once', async () => {
  t.fake.rotateAccessToken();
  const { auth } = await t.login();
  // the first call finds the stale token, refreshes once; the rest share that refresh
  const before = t.fake.calls.stableToken;
  const answers = await Promise.all(
    Array.from({ length: 5 }, () =>
      t
        .http()
        .post('/api/auth/phone')
        .set('Authorization', auth)
        .send({ code: t.fake.newPhoneCode('13600000000') }),
    ),
  );
  expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(t.fake.calls.stableToken - before).toBe(1);
});

test("/api/wechat/decrypt: guarded by the decorator, decrypts with the login's own session_key", async () => {
  const plain = { stepInfoList: [{ timestamp: 1, step: 100 }], watermark: { appid: t.appid, timestamp: 1 } };
  expect((await t.http().post('/api/wechat/decrypt').send({ encryptedData: 'AAAA', iv: 'AAAA' })).status).toBe(401);
  const { auth, wxUser } = await t.login();
  const res = await t.http().post('/api/wechat/decrypt').set('Authorization', auth).send(FakeWechat.encrypt(wxUser.session_key, plain));
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual(plain);
  const other = t.fake.newLogin();
  const wrongKey = await t
    .http()
    .post('/api/wechat/decrypt')
    .set('Authorization', auth)
    .send(FakeWechat.encrypt(other.user.session_key, plain));
  expect(wrongKey.status).toBe(400);
  expect(wrongKey.body.error.code).toBe('DECRYPT_FAILED');
});

test('unknown routes are JSON 404s', async () => {
  const missing = await t.http().get('/nope');
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe('NOT_FOUND');
});
