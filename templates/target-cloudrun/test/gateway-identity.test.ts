import { startTestApp, type TestApp } from './support/test-app';

/** 微信云托管's gateway headers, spelled in a case of their own (the gateway's case may change). */
const gateway = (appid: string, openid: string, extra: Record<string, string> = {}) => ({
  'X-Wx-Source': 'wx_client',
  'x-WX-appid': appid,
  'X-WX-OPENID': openid,
  ...extra,
});

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const openid = () => `o_gw_${Math.random().toString(36).slice(2, 14)}`;

test('a callContainer request is that user: created on first sight, the same user after, the same guards', async () => {
  const id = openid();
  const first = await t
    .http()
    .get('/api/auth/me')
    .set(gateway(t.appid, id, { 'X-WX-UNIONID': 'u_gw_1' }));
  expect(first.status).toBe(200);
  const again = await t.http().get('/api/auth/me').set(gateway(t.appid, id));
  expect(again.status).toBe(200);
  expect(again.body.user.id).toBe(first.body.user.id);
  const stored = await t.prisma.user.findUnique({ where: { openid: id } });
  expect(stored).toMatchObject({ id: first.body.user.id, unionid: 'u_gw_1' });
  // another guarded route answers for that user too, with no token and no login call to WeChat
  expect((await t.http().get('/api/auth/sessions').set(gateway(t.appid, id))).status).toBe(200);
  expect((await t.http().get('/api/auth/sessions')).status).toBe(401);
  expect(t.fake.calls.jscode2session).toBe(0);
});

test('without X-WX-SOURCE, for another AppID, or with no AppID, the headers name nobody', async () => {
  const id = openid();
  const { 'X-Wx-Source': _, ...noSource } = gateway(t.appid, id);
  const { 'x-WX-appid': __, ...noAppid } = gateway(t.appid, id);
  for (const headers of [noSource, noAppid, gateway('wx0123456789abcdef', id), gateway(t.appid, 'bad/openid'), gateway(t.appid, '')]) {
    const res = await t.http().get('/api/auth/me').set(headers);
    expect(res.status).toBe(401);
  }
  expect(await t.prisma.user.findUnique({ where: { openid: id } })).toBeNull();
});

test('a token login keeps working beside it, and its token wins over the headers', async () => {
  const { auth, body } = await t.login();
  const other = openid();
  const me = await t
    .http()
    .get('/api/auth/me')
    .set({ ...gateway(t.appid, other), authorization: auth });
  expect(me.status).toBe(200);
  expect(me.body.user.id).toBe(body.user.id);
  expect(await t.prisma.user.findUnique({ where: { openid: other } })).toBeNull();
});
