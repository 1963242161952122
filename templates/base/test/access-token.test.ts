import { fromErrcode } from '../src/wechat/errors';
import { tokenCall as call } from './support/token-call';
import { startTestApp, type TestApp } from './support/test-app';

describe('one instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  test('40001 (another party took a new token): stable_token hands out the new one; no forced refresh', async () => {
    await call(t);
    t.fake.rotateAccessToken();
    const before = { ...t.fake.calls };
    await call(t);
    expect(t.fake.calls.stableToken - before.stableToken).toBe(1);
    expect(t.fake.calls.stableTokenForced - before.stableTokenForced).toBe(0);
  });

  test('42001 while stable_token still hands out that token: one forced refresh, one retry', async () => {
    await call(t);
    t.fake.expireAccessToken();
    const before = { ...t.fake.calls };
    await Promise.all([call(t), call(t), call(t)]);
    expect(t.fake.calls.stableTokenForced - before.stableTokenForced).toBe(1);
    expect(t.fake.calls.wxacode - before.wxacode).toBe(6); // each call: refused once, retried once
  });

  test('a token WeChat keeps refusing is retried once, never in a loop', async () => {
    let tries = 0;
    await expect(
      t.wechat.withAccessToken(async () => {
        tries++;
        throw fromErrcode(40001);
      }),
    ).rejects.toMatchObject({ errcode: 40001 });
    expect(tries).toBe(2);
  });
});
