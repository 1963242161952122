import { createVerify } from 'node:crypto';
import { startPayApp } from './support/pay-app';
import { startTestApp } from './support/test-app';

type App = Awaited<ReturnType<typeof startPayApp>>;
let t: App;

beforeAll(async () => {
  t = await startPayApp();
});
afterAll(async () => {
  await t.close();
});

const place = async (auth: string, body: object = { sku: 'sample' }) =>
  t.http().post('/api/pay/orders').set('Authorization', auth).send(body);

describe('the pay routes', () => {
  test('POST /api/pay/orders: 201 with the object wx.requestPayment takes; the price is the catalog’s whatever the client sends', async () => {
    const { auth, wxUser } = await t.login();
    const res = await place(auth, { sku: 'sample', quantity: 2, amount: 99999, price: 0, total: 0 });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ outTradeNo: expect.any(String), amount: 2, payment: expect.any(Object) });
    const p = res.body.payment;
    expect(Object.keys(p).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    const message = `${t.appid}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(createVerify('RSA-SHA256').update(message).verify(t.merchant.merchantPublicKey, p.paySign, 'base64')).toBe(true);
    expect(t.pay.orders.get(res.body.outTradeNo)).toMatchObject({ total: 2, openid: wxUser.openid, appid: t.appid });
  });

  test('placing an order needs a login; a bad SKU or quantity is a 400', async () => {
    expect((await t.http().post('/api/pay/orders').send({ sku: 'sample' })).status).toBe(401);
    const { auth } = await t.login();
    expect((await place(auth, { sku: 'nope' })).body.error.code).toBe('UNKNOWN_SKU');
    expect((await place(auth, { sku: 'sample', quantity: 0 })).status).toBe(400);
    expect((await place(auth, { quantity: 1 })).status).toBe(400);
  });

  test('a WeChat Pay error on prepay: 502 with a clear error, and the order stays CREATED', async () => {
    const { auth } = await t.login();
    t.pay.failures.set('/v3/pay/transactions/jsapi', { status: 500, code: 'SYSTEM_ERROR', message: '系统错误' });
    const res = await place(auth).finally(() => t.pay.failures.clear());
    expect(res.status).toBe(502);
    expect(res.body.error).toEqual({ code: 'WXPAY_ERROR', message: expect.stringMatching(/SYSTEM_ERROR.*was not paid/) });
    const no = /Order (\S+) was not paid/.exec(res.body.error.message)![1];
    expect((await t.prisma.payOrder.findUniqueOrThrow({ where: { outTradeNo: no } })).state).toBe('CREATED');
  });

  test('the notification over HTTP pays the order; GET shows it to its owner only', async () => {
    const owner = await t.login();
    const other = await t.login();
    const { outTradeNo } = (await place(owner.auth)).body;
    const answer = await t.pay.deliver(t.pay.pay(outTradeNo));
    expect(answer).toEqual({ status: 204, body: '' });
    const mine = await t.http().get(`/api/pay/orders/${outTradeNo}`).set('Authorization', owner.auth);
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({ outTradeNo, state: 'PAID', amount: 1, paidAt: expect.any(String) });
    const theirs = await t.http().get(`/api/pay/orders/${outTradeNo}`).set('Authorization', other.auth);
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'ORDER_NOT_FOUND']);
    expect((await t.http().get(`/api/pay/orders/${outTradeNo}`)).status).toBe(401);
  });

  test('a forged notification over HTTP answers 4xx {code, message} and pays nothing', async () => {
    const { auth } = await t.login();
    const { outTradeNo } = (await place(auth)).body;
    const answer = await t.pay.deliver(t.pay.pay(outTradeNo, { forgedKey: true }));
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
    expect((await t.prisma.payOrder.findUniqueOrThrow({ where: { outTradeNo } })).state).toBe('CREATED');
  });

  test('a restart loses nothing: an order placed before is paid by a notification after, on a new app', async () => {
    const user = await t.login();
    const { outTradeNo } = (await place(user.auth)).body;
    const note = t.pay.pay(outTradeNo);
    // the same deployment (AppID, merchant, database) started again: nothing is carried over in memory
    const again = await startPayApp({ merchant: t.merchant, sameAppAs: { appid: t.appid, fake: t.fake } });
    try {
      expect((await again.pay.deliver({ ...note, url: `${again.base}/api/pay/notify` })).status).toBe(204);
      expect((await again.prisma.payOrder.findUniqueOrThrow({ where: { outTradeNo } })).state).toBe('PAID');
    } finally {
      await again.close();
    }
  });
});

describe('with the WXPAY_ settings empty', () => {
  test('the app starts, and the pay routes answer 503 PAY_NOT_CONFIGURED', async () => {
    const off = await startTestApp();
    try {
      const { auth } = await off.login();
      const res = await off.http().post('/api/pay/orders').set('Authorization', auth).send({ sku: 'sample' });
      expect([res.status, res.body.error.code]).toEqual([503, 'PAY_NOT_CONFIGURED']);
      expect((await off.http().get('/api/pay/orders/P123456').set('Authorization', auth)).status).toBe(503);
      const notify = await off.http().post('/api/pay/notify').set('content-type', 'application/json').send('{}');
      expect(notify.status).toBe(503);
      expect((await off.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
    } finally {
      await off.close();
    }
  });
});
