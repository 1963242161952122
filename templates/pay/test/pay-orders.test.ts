import { createVerify, randomBytes, randomUUID } from 'node:crypto';
import { startPayServices } from './support/pay';

type Pay = Awaited<ReturnType<typeof startPayServices>>;
let pay: Pay;

beforeAll(async () => {
  pay = await startPayServices();
});
afterAll(async () => {
  await pay.close();
});

const newUser = () => ({ id: randomUUID(), openid: `o_${randomBytes(10).toString('hex')}` });
const stored = (outTradeNo: string) => pay.s.prisma.payOrder.findUniqueOrThrow({ where: { outTradeNo } });
const failure = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as { status: number; code: string; message: string };
  }
  throw new Error('expected a failure');
};

describe('placing an order', () => {
  test('the amount comes from the catalog; the order is stored, then placed at WeChat Pay; the answer is what wx.requestPayment takes', async () => {
    const user = newUser();
    const order = await pay.s.orders.create(user, 'sample', 3);
    expect(order.amount).toBe(3); // sample: 1 fen each
    const row = await stored(order.outTradeNo);
    expect(row).toMatchObject({ state: 'CREATED', amount: 3, userId: user.id, openid: user.openid });
    const atWechat = pay.fake.orders.get(order.outTradeNo)!;
    expect(atWechat).toMatchObject({ total: 3, openid: user.openid, appid: pay.appid, mchid: pay.merchant.mchid });
    expect(atWechat.notifyUrl).toBe(pay.config.notifyUrl);
    expect(atWechat.timeExpire).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(Math.abs(Date.parse(atWechat.timeExpire) - row.expiresAt.getTime())).toBeLessThan(1000);
    const p = order.payment;
    expect(Object.keys(p).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(p.signType).toBe('RSA');
    expect(p.package).toMatch(/^prepay_id=wx/);
    expect(p.timeStamp).toMatch(/^\d{10}$/);
    const message = `${pay.appid}\n${p.timeStamp}\n${p.nonceStr}\n${p.package}\n`;
    expect(createVerify('RSA-SHA256').update(message).verify(pay.merchant.merchantPublicKey, p.paySign, 'base64')).toBe(true);
  });

  test('an unknown SKU or a bad quantity is refused before anything is stored', async () => {
    const user = newUser();
    expect(await failure(pay.s.orders.create(user, 'nope'))).toMatchObject({ status: 400, code: 'UNKNOWN_SKU' });
    expect(await failure(pay.s.orders.create(user, 'toString'))).toMatchObject({ status: 400, code: 'UNKNOWN_SKU' });
    for (const q of [0, 11, 1.5, -1]) expect(await failure(pay.s.orders.create(user, 'sample', q))).toMatchObject({ code: 'BAD_QUANTITY' });
    expect(await pay.s.prisma.payOrder.count({ where: { userId: user.id } })).toBe(0);
  });

  test('a WeChat Pay error on prepay leaves the order CREATED, with a clear error', async () => {
    const user = newUser();
    pay.fake.failures.set('/v3/pay/transactions/jsapi', { status: 400, code: 'NO_AUTH', message: '商户号该产品权限未开通' });
    try {
      const err = await failure(pay.s.orders.create(user, 'sample'));
      expect(err).toMatchObject({ status: 502, code: 'WXPAY_ERROR' });
      expect(err.message).toMatch(/NO_AUTH.*was not paid/);
    } finally {
      pay.fake.failures.clear();
    }
    const rows = await pay.s.prisma.payOrder.findMany({ where: { userId: user.id } });
    expect(rows.map((r) => [r.state, r.prepayId])).toEqual([['CREATED', null]]);
  });

  test('an answer whose signature fails is not used', async () => {
    const user = newUser();
    pay.fake.forgeAnswers = true;
    try {
      expect(await failure(pay.s.orders.create(user, 'sample'))).toMatchObject({ status: 502, code: 'WXPAY_BAD_SIGNATURE' });
    } finally {
      pay.fake.forgeAnswers = false;
    }
    const rows = await pay.s.prisma.payOrder.findMany({ where: { userId: user.id } });
    expect(rows.map((r) => [r.state, r.prepayId])).toEqual([['CREATED', null]]);
  });

  test('every request to WeChat Pay is signed by the merchant: a wrong merchant key is refused by WeChat Pay', async () => {
    const before = pay.fake.calls.refused;
    const other = await startPayServices({ env: { WXPAY_MCH_SERIAL: 'ABCDEF0123456789' } });
    try {
      // same fake merchant key file, other serial: WeChat Pay cannot find the certificate
      expect(await failure(other.s.orders.create(newUser(), 'sample'))).toMatchObject({ code: 'WXPAY_ERROR' });
    } finally {
      await other.close();
    }
    expect(other.fake.calls.refused).toBeGreaterThan(0);
    expect(pay.fake.calls.refused).toBe(before);
  });
});

describe('payment notifications', () => {
  const placed = async () => {
    const user = newUser();
    return { user, ...(await pay.s.orders.create(user, 'sample', 2)) };
  };

  test('on time: verified, decrypted, matched, and the order is PAID', async () => {
    const { outTradeNo } = await placed();
    const answer = await pay.fake.deliver(pay.fake.pay(outTradeNo));
    expect(answer.status).toBe(204);
    const row = await stored(outTradeNo);
    expect(row.state).toBe('PAID');
    expect(row.transactionId).toBe(pay.fake.orders.get(outTradeNo)!.transactionId);
    expect(row.paidAt).not.toBeNull();
  });

  test('twice, and five at once: each is acknowledged and the order is paid once', async () => {
    const { outTradeNo } = await placed();
    const first = pay.fake.pay(outTradeNo);
    const answers = await Promise.all(
      [first, first, pay.fake.paymentNotification(outTradeNo), first, first].map((n) => pay.fake.deliver(n)),
    );
    expect(answers.map((a) => a.status)).toEqual([204, 204, 204, 204, 204]);
    expect(pay.logged(outTradeNo).filter((l) => l.includes('order paid'))).toHaveLength(1);
    const paidAt = (await stored(outTradeNo)).paidAt;
    expect((await pay.fake.deliver(pay.fake.paymentNotification(outTradeNo))).status).toBe(204); // late retry
    expect((await stored(outTradeNo)).paidAt).toEqual(paidAt);
  });

  test('forged, tampered, stale, probe and undecryptable notifications never mark an order paid, and WeChat Pay is told to retry', async () => {
    const { outTradeNo } = await placed();
    const notes = {
      forged: pay.fake.pay(outTradeNo, { forgedKey: true }),
      tampered: pay.fake.paymentNotification(outTradeNo, { tamper: (b) => b.replace('"summary":"支付成功"', '"summary":"x"') }),
      stale: pay.fake.paymentNotification(outTradeNo, { timestampOffsetS: -360 }),
      future: pay.fake.paymentNotification(outTradeNo, { timestampOffsetS: 360 }), // a minute past the bound: delivery later in this test must not bring it back inside
      signtest: pay.fake.paymentNotification(outTradeNo, { signtest: true }),
      wrongKey: pay.fake.paymentNotification(outTradeNo, { wrongApiv3Key: true }),
    };
    const unknownSerial = pay.fake.paymentNotification(outTradeNo);
    unknownSerial.headers['wechatpay-serial'] = 'PUB_KEY_ID_SOMEONE_ELSE';
    const reSerialised = pay.fake.paymentNotification(outTradeNo);
    reSerialised.body = JSON.stringify(JSON.parse(reSerialised.body), null, 1); // same JSON, other bytes
    for (const [name, n] of Object.entries({ ...notes, unknownSerial, reSerialised })) {
      const answer = await pay.fake.deliver(n);
      expect([name, answer.status >= 400 && answer.status < 600]).toEqual([name, true]);
      expect(JSON.parse(answer.body)).toEqual({ code: 'FAIL', message: expect.any(String) });
    }
    expect((await stored(outTradeNo)).state).toBe('CREATED');
    expect(pay.logged('signature probe')).not.toHaveLength(0);
  });

  test('a signed notification with a wrong amount, another merchant, another AppID or an unknown order marks nothing paid, with a warning', async () => {
    const { outTradeNo } = await placed();
    pay.fake.pay(outTradeNo);
    const cases = {
      amount: (t: Record<string, unknown>) => ({ ...t, amount: { total: 1, payer_total: 1, currency: 'CNY' } }),
      mchid: (t: Record<string, unknown>) => ({ ...t, mchid: '1999999999' }),
      appid: (t: Record<string, unknown>) => ({ ...t, appid: 'wx0000000000000001' }),
      unknown: (t: Record<string, unknown>) => ({ ...t, out_trade_no: 'P_no_such_order_here' }),
    };
    for (const transaction of Object.values(cases)) {
      expect((await pay.fake.deliver(pay.fake.paymentNotification(outTradeNo, { transaction }))).status).toBe(400);
    }
    expect((await stored(outTradeNo)).state).toBe('CREATED');
    const warnings = pay.logged('transaction refused').map((l) => JSON.parse(l) as { level: string; msg: string });
    expect(warnings.map((w) => w.msg)).toEqual(
      expect.arrayContaining([
        'pay: transaction refused: amount differs from the order',
        'pay: transaction refused: another merchant',
        'pay: transaction refused: another AppID',
        'pay: transaction refused: unknown order',
      ]),
    );
    expect(warnings.every((w) => w.level === 'warn')).toBe(true);
  });

  test('a replayed notification of one order cannot pay another', async () => {
    const a = await placed();
    const b = await placed();
    const noteA = pay.fake.pay(a.outTradeNo);
    expect((await pay.fake.deliver(noteA)).status).toBe(204);
    expect((await pay.fake.deliver({ ...noteA, url: noteA.url })).status).toBe(204);
    expect((await stored(b.outTradeNo)).state).toBe('CREATED');
  });

  test('out of order: notifications of two orders arrive in reverse, and a refund notification sent to the payment route is refused', async () => {
    const a = await placed();
    const b = await placed();
    const na = pay.fake.pay(a.outTradeNo);
    const nb = pay.fake.pay(b.outTradeNo);
    expect((await pay.fake.deliver(nb)).status).toBe(204);
    expect((await pay.fake.deliver(na)).status).toBe(204);
    expect([(await stored(a.outTradeNo)).state, (await stored(b.outTradeNo)).state]).toEqual(['PAID', 'PAID']);
    const refund = await pay.s.refunds.refund(a.outTradeNo, 1);
    const note = pay.fake.finishRefund(refund.outRefundNo);
    expect((await pay.fake.deliver({ ...note, url: pay.config.notifyUrl })).status).toBe(400);
    expect((await pay.s.prisma.payRefund.findUniqueOrThrow({ where: { outRefundNo: refund.outRefundNo } })).state).toBe('PROCESSING');
  });
});

describe('reading an order', () => {
  test('the owner only: anyone else gets the same 404 as for no order', async () => {
    const user = newUser();
    const { outTradeNo } = await pay.s.orders.create(user, 'sample');
    expect(await pay.s.orders.get(user.id, outTradeNo)).toEqual({ outTradeNo, state: 'CREATED', amount: 1 });
    expect(await failure(pay.s.orders.get(user.id + 1, outTradeNo))).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
    expect(await failure(pay.s.orders.get(user.id, 'P_none'))).toMatchObject({ status: 404, code: 'ORDER_NOT_FOUND' });
  });

  test('a CREATED order a few seconds old is looked up at WeChat Pay (the notification may never come)', async () => {
    let now = Date.now();
    const later = await startPayServices({ merchant: pay.merchant, now: () => now });
    try {
      const user = newUser();
      const { outTradeNo } = await later.s.orders.create(user, 'sample');
      later.fake.pay(outTradeNo); // paid, notification lost
      const queries = later.fake.calls.query;
      expect((await later.s.orders.get(user.id, outTradeNo)).state).toBe('CREATED'); // too young to ask
      expect(later.fake.calls.query).toBe(queries);
      now += 6000;
      const seen = await later.s.orders.get(user.id, outTradeNo);
      expect(seen).toMatchObject({ state: 'PAID', amount: 1, paidAt: expect.any(String) });
      expect(later.fake.calls.query).toBe(queries + 1);
      // a client polling an unpaid order makes one query per few seconds, not one per poll
      const { outTradeNo: unpaid } = await later.s.orders.create(user, 'sample');
      now += 6000;
      for (let i = 0; i < 5; i++) expect((await later.s.orders.get(user.id, unpaid)).state).toBe('CREATED');
      expect(later.fake.calls.query).toBe(queries + 2);
      now += 3000;
      await later.s.orders.get(user.id, unpaid);
      expect(later.fake.calls.query).toBe(queries + 3);
      // the late notification then changes nothing
      expect((await later.fake.deliver(later.fake.paymentNotification(outTradeNo))).status).toBe(204);
      expect((await later.s.orders.get(user.id, outTradeNo)).paidAt).toBe(seen.paidAt);
    } finally {
      await later.close();
    }
  });
});

describe('closing expired orders', () => {
  test('an unpaid order past its expiry is closed at WeChat Pay and here; one paid at the last moment becomes PAID', async () => {
    let now = Date.now();
    const sweep = await startPayServices({ merchant: pay.merchant, now: () => now });
    try {
      const unpaid = await sweep.s.orders.create(newUser(), 'sample');
      const lastMoment = await sweep.s.orders.create(newUser(), 'sample');
      sweep.fake.pay(lastMoment.outTradeNo); // notification not delivered
      expect(await sweep.s.orders.closeExpired()).toBe(0); // not expired yet
      now += (sweep.config.orderTtlSeconds + 1) * 1000;
      await sweep.s.orders.closeExpired();
      expect((await stored(unpaid.outTradeNo)).state).toBe('CLOSED');
      expect(sweep.fake.orders.get(unpaid.outTradeNo)!.state).toBe('CLOSED');
      expect((await stored(lastMoment.outTradeNo)).state).toBe('PAID');
      expect(sweep.fake.orders.get(lastMoment.outTradeNo)!.state).toBe('SUCCESS');
    } finally {
      await sweep.close();
    }
  });
});

describe('refunds', () => {
  const paid = async (quantity: number) => {
    const { outTradeNo } = await pay.s.orders.create(newUser(), 'sample', quantity);
    expect((await pay.fake.deliver(pay.fake.pay(outTradeNo))).status).toBe(204);
    return outTradeNo;
  };
  test('partial refunds add up: REFUNDING until WeChat Pay says SUCCESS, then REFUNDED; never past the paid amount', async () => {
    const outTradeNo = await paid(3);
    const first = await pay.s.refunds.refund(outTradeNo, 1);
    expect(first).toMatchObject({ amount: 1, state: 'PROCESSING' });
    expect((await stored(outTradeNo)).state).toBe('REFUNDING');
    expect((await pay.fake.deliver(pay.fake.finishRefund(first.outRefundNo))).status).toBe(204);
    expect((await pay.fake.deliver(pay.fake.finishRefund(first.outRefundNo))).status).toBe(204); // a duplicate
    expect(await stored(outTradeNo)).toMatchObject({ state: 'REFUNDED', refunded: 1 });
    const rest = await pay.s.refunds.refund(outTradeNo); // what is left
    expect(rest.amount).toBe(2);
    expect(await failure(pay.s.refunds.refund(outTradeNo, 1))).toMatchObject({ status: 400, code: 'REFUND_TOO_LARGE' });
    await pay.fake.deliver(pay.fake.finishRefund(rest.outRefundNo));
    expect(await stored(outTradeNo)).toMatchObject({ state: 'REFUNDED', refunded: 3, refundReserved: 3 });
  });

  test('two refunds at once can never add up past the paid amount', async () => {
    const outTradeNo = await paid(3);
    const results = await Promise.allSettled([pay.s.refunds.refund(outTradeNo, 2), pay.s.refunds.refund(outTradeNo, 2)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((await stored(outTradeNo)).refundReserved).toBe(2);
  });

  test('a refund WeChat Pay ends ABNORMAL gives its amount back; an unpaid order cannot be refunded', async () => {
    const outTradeNo = await paid(2);
    const r = await pay.s.refunds.refund(outTradeNo, 2);
    expect((await pay.fake.deliver(pay.fake.finishRefund(r.outRefundNo, 'ABNORMAL'))).status).toBe(204);
    expect(await stored(outTradeNo)).toMatchObject({ state: 'PAID', refunded: 0, refundReserved: 0 });
    const { outTradeNo: unpaid } = await pay.s.orders.create(newUser(), 'sample');
    expect(await failure(pay.s.refunds.refund(unpaid))).toMatchObject({ status: 409, code: 'NOT_PAID' });
  });

  test('a forged refund notification or one for another amount settles nothing', async () => {
    const outTradeNo = await paid(2);
    const r = await pay.s.refunds.refund(outTradeNo, 1);
    expect((await pay.fake.deliver(pay.fake.finishRefund(r.outRefundNo, 'SUCCESS', { forgedKey: true }))).status).toBe(401);
    const other = (t: Record<string, unknown>) => ({ ...t, amount: { total: 2, refund: 2, payer_total: 2, payer_refund: 2 } });
    expect((await pay.fake.deliver(pay.fake.finishRefund(r.outRefundNo, 'SUCCESS', { transaction: other }))).status).toBe(400);
    expect(await stored(outTradeNo)).toMatchObject({ state: 'REFUNDING', refunded: 0 });
  });
});

describe('restarts', () => {
  test('an order placed before a restart is paid by a notification after it', async () => {
    const user = newUser();
    const { outTradeNo } = await pay.s.orders.create(user, 'sample');
    const note = pay.fake.pay(outTradeNo);
    await pay.restart();
    expect((await pay.fake.deliver(note)).status).toBe(204);
    expect((await pay.s.orders.get(user.id, outTradeNo)).state).toBe('PAID');
  });
});
