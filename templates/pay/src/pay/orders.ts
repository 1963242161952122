import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, httpError } from '../platform/errors';
import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../platform/log';
import { productOf } from './catalog';
import type { PayConfig } from './settings';
import type { Transaction, WechatpayClient } from './wechatpay-client';
import { jsapiPayment, type JsapiPayment } from './wechatpay-crypto';

/** An order's life: CREATED → PAID (or CLOSED when it expires unpaid) → REFUNDING ⇄ REFUNDED. */
export type OrderState = 'CREATED' | 'PAID' | 'CLOSED' | 'REFUNDING' | 'REFUNDED';

/** An order still CREATED this long after it was placed is looked up at WeChat Pay when read: its notification may never come. */
export const QUERY_AFTER_MS = 5000;
/** …at most this often per order and instance, however often the client polls. */
export const QUERY_EVERY_MS = 3000;

export interface PayDeps {
  prisma: PrismaClient;
  client: WechatpayClient;
  config: PayConfig;
  log: Logger;
  now?: () => number;
}

export interface CreatedOrder {
  outTradeNo: string;
  amount: number;
  /** Exactly what wx.requestPayment takes. */
  payment: JsapiPayment;
}

export interface OrderView {
  outTradeNo: string;
  state: OrderState;
  amount: number;
  paidAt?: string;
  refunded?: number;
}

/** What applying a WeChat Pay transaction did. */
export type Applied = 'paid' | 'already' | 'not paid' | 'mismatch';

export const orderNotFound = () => httpError(404, 'ORDER_NOT_FOUND', 'No such order.');

/** out_trade_no: 6–32 of [A-Za-z0-9_-]; time-ordered, then random so that it cannot be guessed. */
export const newTradeNo = (prefix: string, now: number) => `${prefix}${now.toString(36)}${randomBytes(9).toString('hex')}`;

/** RFC 3339 in China's time zone, as WeChat Pay writes times: 2026-12-04T20:15:00+08:00. */
export const chinaTime = (ms: number) => `${new Date(ms + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;

/** Places orders, applies what WeChat Pay says about them, and closes the ones left unpaid. */
export class Orders {
  private readonly now: () => number;
  /** When each order was last looked up at WeChat Pay by this instance. */
  private readonly queried = new LRUCache<string, number>({ max: 10_000 });

  constructor(private readonly d: PayDeps) {
    this.now = d.now ?? Date.now;
  }

  /**
   * Stores the order first (CREATED, price from the catalog), then asks WeChat Pay for a prepay_id. If
   * WeChat Pay refuses or fails, the order stays CREATED (the sweep closes it) and the error says why.
   */
  async create(user: { id: string; openid: string }, sku: string, quantity = 1): Promise<CreatedOrder> {
    const product = productOf(sku);
    if (!product) throw httpError(400, 'UNKNOWN_SKU', `There is no product "${sku.slice(0, 64)}".`);
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > product.maxQuantity) {
      throw httpError(400, 'BAD_QUANTITY', `quantity must be a whole number from 1 to ${product.maxQuantity}.`);
    }
    const now = this.now();
    const order = await this.d.prisma.payOrder
      .create({
        data: {
          outTradeNo: newTradeNo('P', now),
          userId: user.id,
          openid: user.openid,
          sku,
          quantity,
          amount: product.priceFen * quantity,
          description: product.description,
          state: 'CREATED',
          expiresAt: new Date(now + this.d.config.orderTtlSeconds * 1000),
        },
      })
      .catch(failsAs(databaseUnavailable));
    let prepayId: string;
    try {
      prepayId = await this.d.client.jsapi({
        description: order.description,
        outTradeNo: order.outTradeNo,
        timeExpire: chinaTime(order.expiresAt.getTime()),
        totalFen: order.amount,
        openid: order.openid,
      });
    } catch (err) {
      this.d.log.warn({ err, outTradeNo: order.outTradeNo }, 'pay: prepay failed; the order stays CREATED');
      const e = err as { status?: number; code?: string; message?: string };
      throw httpError(
        e.status ?? 502,
        e.code ?? 'WXPAY_ERROR',
        `${e.message ?? 'WeChat Pay failed.'} Order ${order.outTradeNo} was not paid.`,
        {
          cause: err,
        },
      );
    }
    await this.d.prisma.payOrder.update({ where: { id: order.id }, data: { prepayId } }).catch(failsAs(databaseUnavailable));
    const payment = jsapiPayment(this.d.config.appid, prepayId, this.d.config.merchant.privateKey);
    return { outTradeNo: order.outTradeNo, amount: order.amount, payment };
  }

  /**
   * The order, to its owner only (anyone else gets the same 404 as for no order). While it is CREATED and
   * a few seconds old, WeChat Pay is asked: the notification may be late, or never come.
   */
  async get(userId: string, outTradeNo: string): Promise<OrderView> {
    let order = await this.d.prisma.payOrder.findUnique({ where: { outTradeNo } }).catch(failsAs(databaseUnavailable));
    if (!order || order.userId !== userId) throw orderNotFound();
    const now = this.now();
    if (
      order.state === 'CREATED' &&
      now - order.createdAt.getTime() >= QUERY_AFTER_MS &&
      now - (this.queried.get(outTradeNo) ?? 0) >= QUERY_EVERY_MS
    ) {
      this.queried.set(outTradeNo, now);
      try {
        const tx = await this.d.client.query(outTradeNo);
        if (tx) await this.applyTransaction(tx, 'query');
        order = (await this.d.prisma.payOrder.findUnique({ where: { outTradeNo } })) ?? order;
      } catch (err) {
        // the stored state is still the truth as far as we know; the client polls again
        this.d.log.warn({ err, outTradeNo }, 'pay: query failed');
      }
    }
    return view(order);
  }

  /**
   * Applies a transaction WeChat Pay reported (a verified, decrypted notification, or a verified query
   * answer): it must name our merchant, our AppID, a stored order and that order's exact amount. Then the
   * order becomes PAID in one conditional update, so a duplicate, a late or a racing report changes nothing.
   */
  async applyTransaction(tx: Transaction, source: 'notify' | 'query'): Promise<Applied> {
    const outTradeNo = tx.out_trade_no;
    const order =
      typeof outTradeNo === 'string'
        ? await this.d.prisma.payOrder.findUnique({ where: { outTradeNo } }).catch(failsAs(databaseUnavailable))
        : null;
    const problem =
      tx.mchid !== this.d.config.merchant.mchid
        ? 'another merchant'
        : tx.appid !== this.d.config.appid
          ? 'another AppID'
          : !order
            ? 'unknown order'
            : tx.amount?.total !== order.amount
              ? 'amount differs from the order'
              : null;
    if (problem) {
      this.d.log.warn(
        { source, outTradeNo, mchid: tx.mchid, appid: tx.appid, total: tx.amount?.total },
        `pay: transaction refused: ${problem}`,
      );
      return 'mismatch';
    }
    if (tx.trade_state !== 'SUCCESS') {
      if (tx.trade_state === 'CLOSED' || tx.trade_state === 'REVOKED') {
        await this.d.prisma.payOrder
          .updateMany({ where: { outTradeNo, state: 'CREATED' }, data: { state: 'CLOSED' } })
          .catch(failsAs(databaseUnavailable));
      }
      return 'not paid';
    }
    const paidAt = Date.parse(tx.success_time ?? '');
    const { count } = await this.d.prisma.payOrder
      .updateMany({
        // CLOSED too: WeChat Pay took the money, so the order is paid whatever we thought
        where: { outTradeNo, state: { in: ['CREATED', 'CLOSED'] } },
        data: {
          state: 'PAID',
          transactionId: typeof tx.transaction_id === 'string' ? tx.transaction_id : null,
          paidAt: new Date(Number.isNaN(paidAt) ? this.now() : paidAt),
        },
      })
      .catch(failsAs(databaseUnavailable));
    if (count === 1) {
      if (order!.state === 'CLOSED') this.d.log.warn({ outTradeNo }, 'pay: an order closed here was paid at WeChat Pay; it is PAID now');
      this.d.log.info({ outTradeNo, source, amount: order!.amount }, 'pay: order paid');
    }
    return count === 1 ? 'paid' : 'already';
  }

  /**
   * Closes orders left unpaid past their expiry, at WeChat Pay and here. Each is asked about first: one
   * paid at the last moment becomes PAID instead. Returns how many were closed.
   */
  async closeExpired(limit = 100): Promise<number> {
    const due = await this.d.prisma.payOrder.findMany({
      where: { state: 'CREATED', expiresAt: { lt: new Date(this.now()) } },
      orderBy: { expiresAt: 'asc' },
      take: limit,
    });
    let closed = 0;
    for (const order of due) {
      try {
        const tx = await this.d.client.query(order.outTradeNo);
        if (tx?.trade_state === 'SUCCESS') {
          await this.applyTransaction(tx, 'query');
          continue;
        }
        await this.d.client.close(order.outTradeNo);
        const { count } = await this.d.prisma.payOrder.updateMany({ where: { id: order.id, state: 'CREATED' }, data: { state: 'CLOSED' } });
        closed += count;
      } catch (err) {
        this.d.log.warn({ err, outTradeNo: order.outTradeNo }, 'pay: closing an expired order failed; the next sweep retries');
      }
    }
    return closed;
  }
}

export function view(o: { outTradeNo: string; state: string; amount: number; paidAt: Date | null; refunded: number }): OrderView {
  return {
    outTradeNo: o.outTradeNo,
    state: o.state as OrderState,
    amount: o.amount,
    ...(o.paidAt ? { paidAt: o.paidAt.toISOString() } : {}),
    ...(o.refunded > 0 ? { refunded: o.refunded } : {}),
  };
}
