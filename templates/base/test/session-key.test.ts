import { FakeWechat } from '../scripts/fake-wechat';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const plain = () => ({ stepInfoList: [{ timestamp: 1, step: 42 }], watermark: { appid: t.appid, timestamp: 1 } });
const decrypt = (auth: string, sessionKey: string) =>
  t.http().post('/api/wechat/decrypt').set('Authorization', auth).send(FakeWechat.encrypt(sessionKey, plain()));

test('checksession runs before decrypting, once per session per few minutes', async () => {
  const { auth, wxUser } = await t.login();
  const before = t.fake.calls.checkSession;
  expect((await decrypt(auth, wxUser.session_key)).status).toBe(200);
  expect((await decrypt(auth, wxUser.session_key)).status).toBe(200);
  expect(t.fake.calls.checkSession - before).toBe(1);
});

test('a later wx.login replaces the session_key: 409 SESSION_KEY_STALE, then logging in again recovers', async () => {
  const first = await t.login();
  // the same user logs in elsewhere: WeChat now accepts only the newest key
  const { code, user: rotated } = t.fake.newLogin({ openid: first.wxUser.openid });
  const second = await t.http().post('/api/auth/login').send({ code });
  expect(second.status).toBe(200);
  const stale = await decrypt(first.auth, first.wxUser.session_key);
  expect([stale.status, stale.body.error.code]).toEqual([409, 'SESSION_KEY_STALE']);
  // the client's recovery: wx.login, log in again, fetch the data again (now made with the new key), retry
  const res = await decrypt(`JWT ${second.body.token}`, rotated.session_key);
  expect(res.status).toBe(200);
  expect(res.body.data).toEqual(plain());
});

test('checksession unreachable: the app decrypts anyway (a wrong key would still fail to decrypt)', async () => {
  const { auth, wxUser } = await t.login();
  t.fake.failApi('/wxa/checksession', 'html');
  try {
    expect((await decrypt(auth, wxUser.session_key)).status).toBe(200);
    const other = t.fake.newLogin();
    expect((await decrypt(auth, other.user.session_key)).body.error.code).toBe('DECRYPT_FAILED');
  } finally {
    t.fake.failApi('/wxa/checksession', null);
  }
});
