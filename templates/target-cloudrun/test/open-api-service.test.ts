import { FakeWechat } from '../scripts/fake-wechat';
import { loadConfig } from '../src/config';
import { createDeps } from '../src/deps';
import { memoryLogger } from '../src/log';
import { testDatabaseUrl } from './support/database';
import { APP_SECRET, JWT_SECRET } from './support/test-app';

const APPID = 'wx00112233445566ff';

/** The app's WeChat client as createDeps wires it, against a fake that stands in for 开放接口服务. */
async function wechatWith(openApiService: boolean) {
  const fake = await new FakeWechat({ appid: APPID, secret: APP_SECRET, openApiService: true }).start();
  const config = loadConfig({
    WX_APPID: APPID,
    WX_SECRET: APP_SECRET,
    WX_API_BASE: fake.url,
    WX_OPENAPI_SERVICE: String(openApiService),
    JWT_SECRET,
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  });
  const deps = await createDeps(config, memoryLogger());
  return {
    fake,
    wechat: deps.wechat,
    close: async () => {
      await deps.wechat.forgetAccessToken().catch(() => undefined);
      await deps.close();
      await fake.stop();
    },
  };
}

test('开放接口服务: a WeChat API call goes without access_token, and no token is ever fetched', async () => {
  const t = await wechatWith(true);
  try {
    const code = t.fake.newPhoneCode('13800138000');
    expect((await t.wechat.phoneNumber(code)).phoneNumber).toBe('13800138000');
    expect(t.fake.calls).toMatchObject({ phone: 1, stableToken: 0 });
  } finally {
    await t.close();
  }
});

test('without it, the same call fetches a token first (what the switch must prevent)', async () => {
  const t = await wechatWith(false);
  try {
    await t.wechat.phoneNumber(t.fake.newPhoneCode('13800138000'));
    expect(t.fake.calls).toMatchObject({ phone: 1, stableToken: 1 });
  } finally {
    await t.close();
  }
});

test('in production it calls http://api.weixin.qq.com, as Cloud Run serves 开放接口服务', () => {
  const config = loadConfig({
    NODE_ENV: 'production',
    WX_APPID: APPID,
    WX_SECRET: APP_SECRET,
    WX_OPENAPI_SERVICE: 'true',
    JWT_SECRET,
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: 'redis://127.0.0.1:6379',
  });
  expect(config.wxApiBase).toBe('http://api.weixin.qq.com');
  expect(() =>
    loadConfig({
      ...process.env,
      NODE_ENV: 'production',
      WX_APPID: APPID,
      WX_SECRET: 'x',
      JWT_SECRET,
      DATABASE_URL: 'x',
      WX_API_BASE: 'http://api.weixin.qq.com',
    }),
  ).toThrow(/https/);
});
