import type { TestApp } from './test-app';

/** One WeChat call that needs the access token and nothing else: a Mini Program code with no page check. */
export const tokenCall = (t: TestApp) =>
  t.wechat.postForImage('/wxa/getwxacodeunlimit', { scene: 'token', page: 'pages/index/index', check_path: false });

/** Two instances of one app (same AppID, same fake WeChat, same shared store) share one access token. */
export function sharedTokenSuite(store: string, start: () => Promise<TestApp>, startSame: (a: TestApp) => Promise<TestApp>): void {
  describe(`two instances sharing the ${store}`, () => {
    let a: TestApp;
    let b: TestApp;
    beforeAll(async () => {
      a = await start();
      b = await startSame(a);
    });
    afterAll(async () => {
      await b.close();
      await a.close();
    });

    test('starting together, they fetch one token for both', async () => {
      const before = a.fake.calls.stableToken;
      const tokens = await Promise.all([
        ...Array.from({ length: 5 }, () => a.wechat.accessToken()),
        ...Array.from({ length: 5 }, () => b.wechat.accessToken()),
      ]);
      expect(new Set(tokens).size).toBe(1);
      expect(a.fake.calls.stableToken - before).toBe(1);
    });

    test('both refused at once (42001): one forced refresh between them, each call retried once and answered', async () => {
      await Promise.all([tokenCall(a), tokenCall(b)]);
      a.fake.expireAccessToken();
      const before = { ...a.fake.calls };
      await Promise.all([tokenCall(a), tokenCall(b), tokenCall(a), tokenCall(b)]);
      expect(a.fake.calls.stableTokenForced - before.stableTokenForced).toBe(1);
      expect(a.fake.calls.wxacode - before.wxacode).toBe(8);
      expect(await a.wechat.accessToken()).toBe(await b.wechat.accessToken());
    });
  });
}
