import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ phoneDailyLimit: 3 });
});
afterAll(() => t.close());

const phone = (auth: string, body: Record<string, unknown>) => t.http().post('/api/auth/phone').set('Authorization', auth).send(body);

test("the session's openid goes to WeChat: a code issued to another user is refused, nothing stored", async () => {
  const { auth, body } = await t.login();
  const other = await t.login();
  const res = await phone(auth, { code: t.fake.newPhoneCode('13911112222', other.wxUser.openid) });
  expect([res.status, res.body.error.code]).toEqual([400, 'INVALID_CODE']);
  // a getPhoneNumber code, not a wx.login() one: the message says which button gives a new one
  expect(res.body.error.message).toMatch(/getPhoneNumber/);
  expect(res.body.error.message).not.toMatch(/wx\.login/);
  const malformed = await phone(auth, { code: 'not a code!' });
  expect([malformed.status, malformed.body.error.code]).toEqual([400, 'INVALID_CODE']);
  expect(malformed.body.error.message).toMatch(/getPhoneNumber/);
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } })).phone).toBeNull();
  const own = await phone(auth, {
    code: t.fake.newPhoneCode('13911112222', (await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } })).openid),
  });
  expect(own.body).toMatchObject({ phoneNumber: '13911112222', fromWechat: true, user: { phone: '13911112222' } });
});

test('a number verified within PHONE_REVERIFY_DAYS is not bought again unless {refresh: true}; after that it is', async () => {
  const { auth, body } = await t.login();
  expect((await phone(auth, { code: t.fake.newPhoneCode('13800000001') })).body.fromWechat).toBe(true);
  const calls = t.fake.calls.phone;
  const again = await phone(auth, { code: t.fake.newPhoneCode('13800000002') });
  expect(again.body).toMatchObject({ phoneNumber: '13800000001', purePhoneNumber: '13800000001', countryCode: '86', fromWechat: false });
  expect(t.fake.calls.phone).toBe(calls);
  const refreshed = await phone(auth, { code: t.fake.newPhoneCode('13800000003'), refresh: true });
  expect(refreshed.body).toMatchObject({ phoneNumber: '13800000003', fromWechat: true });
  // 31 days later, WeChat is asked again
  await t.prisma.user.update({ where: { id: body.user.id }, data: { phoneVerifiedAt: new Date(Date.now() - 31 * 86_400_000) } });
  expect((await phone(auth, { code: t.fake.newPhoneCode('13800000004') })).body).toMatchObject({
    phoneNumber: '13800000004',
    fromWechat: true,
  });
  expect((await phone(auth, { code: 'x', refresh: 'yes' })).status).toBe(400);
});

test('PHONE_DAILY_LIMIT calls per user per day, then 429 without calling WeChat; other users are not affected', async () => {
  const { auth } = await t.login();
  for (let i = 0; i < 3; i++) expect((await phone(auth, { code: t.fake.newPhoneCode(`1370000000${i}`), refresh: true })).status).toBe(200);
  const calls = t.fake.calls.phone;
  const limited = await phone(auth, { code: t.fake.newPhoneCode('13700000009'), refresh: true });
  expect([limited.status, limited.body.error.code]).toEqual([429, 'PHONE_DAILY_LIMIT']);
  expect(t.fake.calls.phone).toBe(calls);
  const other = await t.login();
  expect((await phone(other.auth, { code: t.fake.newPhoneCode('13700000010') })).status).toBe(200);
});

test('concurrent calls of one user never pass the daily limit', async () => {
  const { auth } = await t.login();
  const answers = await Promise.all(
    Array.from({ length: 6 }, (_, i) => phone(auth, { code: t.fake.newPhoneCode(`1350000000${i}`), refresh: true })),
  );
  expect(answers.filter((r) => r.status === 200)).toHaveLength(3);
  expect(answers.filter((r) => r.status === 429)).toHaveLength(3);
});

test("WeChat's quota used up (1400001): 503 PHONE_QUOTA_EXHAUSTED, nothing stored; WeChat down: nothing stored", async () => {
  const { auth, body } = await t.login();
  t.fake.phoneQuotaExhausted = true;
  const res = await phone(auth, { code: t.fake.newPhoneCode('13600000000') });
  t.fake.phoneQuotaExhausted = false;
  expect([res.status, res.body.error.code]).toEqual([503, 'PHONE_QUOTA_EXHAUSTED']);
  t.fake.failApi('/wxa/business/getuserphonenumber', 'html');
  expect((await phone(auth, { code: t.fake.newPhoneCode('13600000000') })).status).toBe(502);
  t.fake.failApi('/wxa/business/getuserphonenumber', null);
  const row = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
  expect([row.phone, row.phoneVerifiedAt]).toEqual([null, null]);
});
