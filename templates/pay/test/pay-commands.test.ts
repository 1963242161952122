import { randomBytes } from 'node:crypto';
import { refundCommand } from '../src/pay/refund-command';
import { sweepCommand } from '../src/pay/sweep-command';
import { testDatabaseUrl } from './support/database';
import { startPayApp } from './support/pay-app';

type App = Awaited<ReturnType<typeof startPayApp>>;
let t: App;
let env: Record<string, string>;

beforeAll(async () => {
  t = await startPayApp();
  // what the commands read from .env where the app runs: the same settings as the app's
  env = {
    WX_APPID: t.appid,
    WX_SECRET: 'secret',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...t.merchant.env(`${t.base}/api/pay/notify`),
  };
});
afterAll(async () => {
  await t.close();
});

/** Runs a command, capturing what it prints. */
async function run(command: () => Promise<number>) {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = jest.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    return { code: await command(), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

async function paidOrder(quantity: number): Promise<string> {
  const { auth } = await t.login();
  const { outTradeNo } = (await t.http().post('/api/pay/orders').set('Authorization', auth).send({ sku: 'sample', quantity })).body;
  expect((await t.pay.deliver(t.pay.pay(outTradeNo))).status).toBe(204);
  return outTradeNo;
}

const order = (outTradeNo: string) => t.prisma.payOrder.findUniqueOrThrow({ where: { outTradeNo } });

describe('npm run pay:refund -- <outTradeNo> [amount]', () => {
  test('refunds part of a paid order; the refund notification then settles it', async () => {
    const no = await paidOrder(3);
    const r = await run(() => refundCommand([no, '2'], env));
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^Refund R\\w+: 2 fen of order ${no}, PROCESSING; WeChat Pay confirms it`));
    expect((await order(no)).state).toBe('REFUNDING');
    const outRefundNo = /^Refund (R\w+):/.exec(r.out)![1];
    expect((await t.pay.deliver(t.pay.finishRefund(outRefundNo))).status).toBe(204);
    expect(await order(no)).toMatchObject({ state: 'REFUNDED', refunded: 2 });
    // what is left, and no more
    expect((await run(() => refundCommand([no, '2'], env))).err).toMatch(/^pay:refund: A refund must be 1 to 1 fen/);
    expect((await run(() => refundCommand([no], env))).code).toBe(0);
    expect((await run(() => refundCommand([no], env))).code).toBe(1);
  });

  test('bad arguments print the usage (exit 2); an unknown order is one line (exit 1)', async () => {
    for (const args of [[], ['P1', '0'], ['P1', '1.5'], ['P1', '-1'], ['P1', '1', 'x']]) {
      const r = await run(() => refundCommand(args, env));
      expect([args, r.code, r.err]).toEqual([
        args,
        2,
        expect.stringMatching(/^usage: npm run pay:refund -- <outTradeNo> \[amount in fen\]/),
      ]);
    }
    expect(await run(() => refundCommand(['P_no_such_order'], env))).toMatchObject({ code: 1, err: 'pay:refund: No such order.' });
  });

  test('without the WXPAY_ settings it says so (exit 1)', async () => {
    const off = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('WXPAY_')));
    expect(await run(() => refundCommand(['P1'], off))).toMatchObject({ code: 1, err: expect.stringMatching(/not configured/) });
    expect(await run(() => sweepCommand(off))).toMatchObject({ code: 1, err: expect.stringMatching(/not configured/) });
  });

  test('a bad environment is one message, not a stack (exit 1)', async () => {
    const r = await run(() => sweepCommand({ ...env, WX_APPID: '' }));
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/^pay:sweep: Invalid configuration:\n {2}- WX_APPID is missing$/) });
  });
});

describe('npm run pay:sweep', () => {
  test('closes an unpaid order past its expiry, at WeChat Pay and here', async () => {
    const { auth } = await t.login();
    const { outTradeNo } = (await t.http().post('/api/pay/orders').set('Authorization', auth).send({ sku: 'sample' })).body;
    await t.prisma.payOrder.update({ where: { outTradeNo }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const r = await run(() => sweepCommand(env));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^pay:sweep: [1-9]\d* expired order\(s\) closed\.$/);
    expect((await order(outTradeNo)).state).toBe('CLOSED');
    expect(t.pay.orders.get(outTradeNo)!.state).toBe('CLOSED');
  });
});
