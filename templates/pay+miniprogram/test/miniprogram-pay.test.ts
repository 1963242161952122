import path from 'node:path';

/**
 * miniprogram/utils/pay.js with the api module and `wx.requestPayment` stood in for: what the page sees
 * when the sheet succeeds before or after the backend learns of the payment, is cancelled, or fails.
 */
const API = path.join(__dirname, '..', 'miniprogram', 'utils', 'api.js');
const PAY = path.join(__dirname, '..', 'miniprogram', 'utils', 'pay.js');

class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Outcome = { success: true } | { errMsg: string };
interface Call {
  url: string;
  method?: string;
  data?: unknown;
}

function load(o: { states: string[]; sheet: Outcome }) {
  const calls: Call[] = [];
  const payments: unknown[] = [];
  const states = [...o.states];
  const payment = { timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'RSA', paySign: 'sig' };
  jest.resetModules();
  jest.doMock(API, () => ({
    ApiError,
    request: async (c: Call) => {
      calls.push(c);
      if (c.method === 'POST') return { outTradeNo: 'P1', amount: 2, payment };
      return { outTradeNo: 'P1', state: states.shift() ?? 'CREATED', amount: 2 };
    },
  }));
  (globalThis as { wx?: unknown }).wx = {
    requestPayment: (p: { success(): void; fail(e: unknown): void }) => {
      payments.push(p);
      setTimeout(() => ('success' in o.sheet ? p.success() : p.fail(o.sheet)), 1);
    },
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(PAY) as {
    pay(sku: string, quantity?: number): Promise<{ state: string; outTradeNo: string }>;
    POLL_DELAYS_MS: number[];
  };
  mod.POLL_DELAYS_MS.fill(1); // no real waiting in tests
  return { mod, calls, payments, payment };
}

afterEach(() => {
  delete (globalThis as { wx?: unknown }).wx;
});

describe('pay(sku, quantity) in the Mini Program', () => {
  test('places the order, opens the sheet with exactly what the backend signed, and polls until the backend says PAID', async () => {
    const { mod, calls, payments, payment } = load({ states: ['CREATED', 'CREATED', 'PAID'], sheet: { success: true } });
    await expect(mod.pay('sample', 2)).resolves.toMatchObject({ state: 'PAID', outTradeNo: 'P1' });
    expect(calls[0]).toEqual({ url: '/api/pay/orders', method: 'POST', data: { sku: 'sample', quantity: 2 } });
    expect(calls.slice(1).map((c) => c.url)).toEqual(['/api/pay/orders/P1', '/api/pay/orders/P1', '/api/pay/orders/P1']);
    expect(payments[0]).toMatchObject(payment);
  });

  test('a user cancel is its own result, not an error, and nothing is polled', async () => {
    const { mod, calls } = load({ states: [], sheet: { errMsg: 'requestPayment:fail cancel' } });
    await expect(mod.pay('sample')).resolves.toMatchObject({ state: 'CANCELLED', outTradeNo: 'P1' });
    expect(calls).toHaveLength(1);
  });

  test('a failed sheet rejects with PAYMENT_FAILED and WeChat’s errMsg', async () => {
    const { mod } = load({ states: [], sheet: { errMsg: 'requestPayment:fail (detail message)' } });
    await expect(mod.pay('sample')).rejects.toMatchObject({ code: 'PAYMENT_FAILED', message: 'requestPayment:fail (detail message)' });
  });

  test('a notification that never comes in time leaves CREATED after the last poll (ask again later; never pay twice)', async () => {
    const { mod, calls } = load({ states: [], sheet: { success: true } });
    await expect(mod.pay('sample')).resolves.toMatchObject({ state: 'CREATED' });
    expect(calls).toHaveLength(1 + 1 + mod.POLL_DELAYS_MS.length);
  });
});
