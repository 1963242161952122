import { randomBytes } from 'node:crypto';
import { FakeWechat } from '../scripts/fake-wechat';
import { loadConfig } from '../src/config';
import { APP_SECRET, JWT_SECRET, startTestApp } from './support/test-app';
import { testDatabaseUrl } from './support/database';

/** The app as createDeps wires it, against a fake WeChat that also stands for 开放接口服务. */
async function appWith(openApiService: boolean) {
  const appid = `wx${randomBytes(8).toString('hex')}`;
  const fake = await new FakeWechat({ appid, secret: APP_SECRET, openApiService: true }).start();
  const t = await startTestApp({ sameAppAs: { appid, fake }, env: { WX_OPENAPI_SERVICE: String(openApiService) } });
  return {
    t,
    fake,
    async close() {
      await t.wechat.forgetAccessToken().catch(() => undefined); // the shared token cache (db, Redis) keeps nothing
      await t.close();
      await fake.stop();
    },
  };
}

test('开放接口服务: WeChat API calls go without access_token, and no token is ever fetched', async () => {
  const a = await appWith(true);
  try {
    expect((await a.t.wechat.phoneNumber(a.fake.newPhoneCode('13800138000'))).phoneNumber).toBe('13800138000');
    const image = await a.t.wechat.postForImage('/wxa/getwxacodeunlimit', { scene: 'a=1', page: 'pages/index/index' });
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect(a.fake.calls).toMatchObject({ phone: 1, wxacode: 1, stableToken: 0 });
    await expect(a.t.wechat.accessToken()).rejects.toThrow(/开放接口服务/);
    expect(a.fake.calls.stableToken).toBe(0);
  } finally {
    await a.close();
  }
});

test('without it, the same call fetches a token first (what the switch must prevent)', async () => {
  const a = await appWith(false);
  try {
    await a.t.wechat.phoneNumber(a.fake.newPhoneCode('13800138000'));
    expect(a.fake.calls).toMatchObject({ phone: 1, stableToken: 1 });
  } finally {
    await a.close();
  }
});

test('in production it calls http://api.weixin.qq.com, as Cloud Run serves 开放接口服务; otherwise WeChat stays https', () => {
  const env = {
    NODE_ENV: 'production',
    WX_APPID: 'wx00112233445566ff',
    WX_SECRET: APP_SECRET,
    JWT_SECRET,
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: 'redis://127.0.0.1:6379',
  };
  expect(loadConfig({ ...env, WX_OPENAPI_SERVICE: 'true' })).toMatchObject({
    wxApiBase: 'http://api.weixin.qq.com',
    wxOpenApiService: true,
  });
  expect(loadConfig(env)).toMatchObject({ wxApiBase: 'https://api.weixin.qq.com', wxOpenApiService: false });
  expect(() => loadConfig({ ...env, WX_API_BASE: 'http://api.weixin.qq.com' })).toThrow(/https/);
});
