/**
 * miniprogram/utils/subscribe.js against the real backend: the template ids are loaded ahead, the
 * consent dialog is opened straight from the tap (WeChat refuses it after anything asynchronous), and
 * the user's answer becomes send credits on the server.
 */
import { listen, loadModule, type ApiError } from './support/mini-program';
import { startTestApp, type TestApp } from './support/test-app';
import { WxSim } from './support/wx-sim';

const TEMPLATE = 'tmpl_review_client_test';
let t: TestApp;
let backend: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  t = await startTestApp({ env: { WX_TEMPLATE_REVIEW_RESULT: TEMPLATE } });
  backend = await listen(t.app);
});
afterAll(async () => {
  await backend.close();
  await t.close();
});

interface Subscribe {
  load(): Promise<Record<string, string>>;
  subscribe(keys: string[]): Promise<{ accepted: string[]; credits: Record<string, number> }>;
}

/** WeChat's wx.requestSubscribeMessage: only inside a tap, answering what the user picks per template id. */
class SubscribingWx extends WxSim {
  answer: string = 'accept';
  asked: string[][] = [];
  private inTap = false;

  /** A tap: `handler` runs as WeChat runs a bindtap handler; only what it does synchronously counts as the tap. */
  tap<T>(handler: () => T): T {
    this.inTap = true;
    try {
      return handler();
    } finally {
      this.inTap = false;
    }
  }

  requestSubscribeMessage(o: { tmplIds: string[]; success?: (res: object) => void; fail?: (err: { errMsg: string }) => void }): void {
    const inTap = this.inTap;
    setImmediate(() => {
      if (!inTap) return o.fail?.({ errMsg: 'requestSubscribeMessage:fail can only be invoked by user TAP gesture.' });
      this.asked.push(o.tmplIds);
      o.success?.({ errMsg: 'requestSubscribeMessage:ok', ...Object.fromEntries(o.tmplIds.map((id) => [id, this.answer])) });
    });
  }
}

function phone() {
  const wx = new SubscribingWx(t.fake, t.appid);
  return { wx, subscriptions: loadModule<Subscribe>('utils/subscribe.js', wx, backend.url) };
}

test('load() then a tap: the dialog opens with the template id, and an accept is a send credit', async () => {
  const { wx, subscriptions } = phone();
  expect(await subscriptions.load()).toEqual({ reviewResult: TEMPLATE });
  const result = await wx.tap(() => subscriptions.subscribe(['reviewResult']));
  expect(wx.asked).toEqual([[TEMPLATE]]);
  expect(result).toEqual({ accepted: ['reviewResult'], credits: { reviewResult: 1 } });
  expect(await wx.tap(() => subscriptions.subscribe(['reviewResult']))).toEqual({
    accepted: ['reviewResult'],
    credits: { reviewResult: 2 },
  });
});

test('a reject adds nothing; keys without a template id ask nothing', async () => {
  const { wx, subscriptions } = phone();
  await subscriptions.load();
  wx.answer = 'reject';
  expect(await wx.tap(() => subscriptions.subscribe(['reviewResult']))).toEqual({ accepted: [], credits: { reviewResult: 0 } });
  expect(await wx.tap(() => subscriptions.subscribe(['orderPaid']))).toEqual({ accepted: [], credits: {} });
  expect(wx.asked).toEqual([[TEMPLATE]]);
});

test('before load() finished, subscribe refuses at once instead of losing the tap', async () => {
  const { wx, subscriptions } = phone();
  await expect(wx.tap(() => subscriptions.subscribe(['reviewResult']))).rejects.toMatchObject<Partial<ApiError>>({
    code: 'TEMPLATES_NOT_LOADED',
  });
  expect(wx.asked).toEqual([]);
});
