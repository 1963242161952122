import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test("微信云托管's gateway headers mean nothing on a server: a client can send them, they name nobody", async () => {
  const openid = `o_forged_${Math.random().toString(36).slice(2, 14)}`;
  const forged = { 'X-WX-SOURCE': 'wx_client', 'X-WX-APPID': t.appid, 'X-WX-OPENID': openid };
  expect((await t.http().get('/api/auth/me').set(forged)).status).toBe(401);
  expect(await t.prisma.user.findUnique({ where: { openid } })).toBeNull();
  // and a token login is untouched by them
  const { auth, body } = await t.login();
  expect(
    (
      await t
        .http()
        .get('/api/auth/me')
        .set({ ...forged, authorization: auth })
    ).body.user.id,
  ).toBe(body.user.id);
});
