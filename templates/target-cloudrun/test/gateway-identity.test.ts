import { startTestApp } from './support/test-app';

/** 微信云托管's gateway headers, spelled in a case of their own (the gateway's case may change). */
const gateway = (appid: string, openid: string, extra: Record<string, string> = {}) => ({
  'X-Wx-Source': 'wx_client',
  'x-WX-appid': appid,
  'X-WX-OPENID': openid,
  ...extra,
});

let t: Awaited<ReturnType<typeof startTestApp>>;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const openid = () => `o_gw_${Math.random().toString(36).slice(2, 14)}`;

test('a callContainer request is that user: created on first sight, the same user after', async () => {
  const id = openid();
  const first = await t.http().get('/api/auth/me').set(gateway(t.appid, id));
  expect(first.status).toBe(200);
  const again = await t.http().get('/api/auth/me').set(gateway(t.appid, id));
  expect(again.body.user.id).toBe(first.body.user.id);
  expect((await t.prisma.user.findUnique({ where: { openid: id } }))?.id).toBe(first.body.user.id);
});

test('without X-WX-SOURCE, or for another AppID, the headers name nobody', async () => {
  const id = openid();
  const { 'X-Wx-Source': _, ...noSource } = gateway(t.appid, id);
  expect((await t.http().get('/api/auth/me').set(noSource)).status).toBe(401);
  expect((await t.http().get('/api/auth/me').set(gateway('wx0123456789abcdef', id))).status).toBe(401);
  expect((await t.http().get('/api/auth/me').set(gateway(t.appid, 'bad/openid'))).status).toBe(401);
  expect(await t.prisma.user.findUnique({ where: { openid: id } })).toBeNull();
});

test('a token login keeps working beside it, and its token wins over the headers', async () => {
  const { auth, body } = await t.login();
  const me = await t
    .http()
    .get('/api/auth/me')
    .set({ ...gateway(t.appid, openid()), authorization: auth });
  expect(me.status).toBe(200);
  expect(me.body.user.id).toBe(body.user.id);
});
