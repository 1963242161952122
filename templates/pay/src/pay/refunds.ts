import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, httpError } from '../platform/errors';
import { newTradeNo, orderNotFound, type PayDeps } from './orders';
import type { Refund } from './wechatpay-client';

/** What the refund function answers. */
export interface RefundView {
  outRefundNo: string;
  outTradeNo: string;
  amount: number;
  /** PROCESSING until WeChat Pay's notification (or answer) says SUCCESS, CLOSED or ABNORMAL. */
  state: string;
}

/** Refund states WeChat Pay reports that end a refund without money moving back. */
const FAILED = new Set(['CLOSED', 'ABNORMAL']);

/**
 * Refunds: a refund reserves its amount on the order first (one conditional update, so two refunds at
 * once can never add up past the paid amount), then asks WeChat Pay. The order is REFUNDING while any
 * refund is in flight and REFUNDED once they all settled with money returned.
 */
export class Refunds {
  private readonly now: () => number;

  constructor(private readonly d: PayDeps) {
    this.now = d.now ?? Date.now;
  }

  /** Refunds `amountFen` of a paid order (all that is left when not given). */
  async refund(outTradeNo: string, amountFen?: number, reason?: string): Promise<RefundView> {
    const prisma = this.d.prisma;
    const order = await prisma.payOrder.findUnique({ where: { outTradeNo } }).catch(failsAs(databaseUnavailable));
    if (!order) throw orderNotFound();
    if (!['PAID', 'REFUNDING', 'REFUNDED'].includes(order.state)) {
      throw httpError(409, 'NOT_PAID', `Order ${outTradeNo} is ${order.state}: only a paid order can be refunded.`);
    }
    const left = order.amount - order.refundReserved;
    const amount = amountFen ?? left;
    if (!Number.isInteger(amount) || amount < 1 || amount > left) {
      throw httpError(
        400,
        'REFUND_TOO_LARGE',
        `A refund must be 1 to ${left} fen: ${order.refundReserved} of ${order.amount} is refunded or being refunded.`,
      );
    }
    const reserved = await prisma.payOrder
      .updateMany({
        where: { id: order.id, refundReserved: { lte: order.amount - amount }, state: { in: ['PAID', 'REFUNDING', 'REFUNDED'] } },
        data: { refundReserved: { increment: amount }, state: 'REFUNDING' },
      })
      .catch(failsAs(databaseUnavailable));
    if (reserved.count !== 1) throw httpError(409, 'REFUND_TOO_LARGE', 'Another refund of this order took what was left; look again.');
    const outRefundNo = newTradeNo('R', this.now());
    await prisma.payRefund.create({ data: { outRefundNo, outTradeNo, amount, state: 'PROCESSING' } }).catch(failsAs(databaseUnavailable));
    let answer: Refund;
    try {
      answer = await this.d.client.refund({ outTradeNo, outRefundNo, refundFen: amount, totalFen: order.amount, reason });
    } catch (err) {
      // A refusal (WeChat Pay answered an error) moved no money: release it. A timeout may have: keep it
      // PROCESSING; the refund notification settles it.
      if ((err as { code?: string }).code === 'WXPAY_ERROR') await this.settle(outRefundNo, 'ABNORMAL');
      throw err;
    }
    const status = answer.status ?? 'PROCESSING';
    if (status === 'SUCCESS' || FAILED.has(status)) await this.settle(outRefundNo, status, answer.refund_id);
    return { outRefundNo, outTradeNo, amount, state: status };
  }

  /**
   * Applies a refund WeChat Pay reported (a verified, decrypted refund notification): it must name our
   * merchant, a refund we asked for, its order and its amount. Returns false when it does not match.
   */
  async applyRefund(r: Refund): Promise<boolean> {
    const stored = r.out_refund_no
      ? await this.d.prisma.payRefund.findUnique({ where: { outRefundNo: r.out_refund_no } }).catch(failsAs(databaseUnavailable))
      : null;
    const problem =
      r.mchid !== this.d.config.merchant.mchid
        ? 'another merchant'
        : !stored
          ? 'unknown refund'
          : stored.outTradeNo !== r.out_trade_no || stored.amount !== r.amount?.refund
            ? 'order or amount differs from the refund'
            : null;
    if (problem) {
      this.d.log.warn({ outRefundNo: r.out_refund_no, outTradeNo: r.out_trade_no }, `pay: refund notification refused: ${problem}`);
      return false;
    }
    const status = r.refund_status ?? r.status;
    if (status === 'SUCCESS' || FAILED.has(status ?? '')) await this.settle(stored!.outRefundNo, status!, r.refund_id);
    return true;
  }

  /** Moves a PROCESSING refund to its final state, and its order's totals with it, once (duplicates change nothing). */
  private async settle(outRefundNo: string, status: string, refundId?: string): Promise<void> {
    await this.d.prisma
      .$transaction(async (tx) => {
        const moved = await tx.payRefund.updateMany({
          where: { outRefundNo, state: 'PROCESSING' },
          data: { state: status, refundId: refundId ?? null, settledAt: new Date(this.now()) },
        });
        if (moved.count !== 1) return;
        const refund = await tx.payRefund.findUniqueOrThrow({ where: { outRefundNo } });
        const order = await tx.payOrder.update({
          where: { outTradeNo: refund.outTradeNo },
          data: status === 'SUCCESS' ? { refunded: { increment: refund.amount } } : { refundReserved: { decrement: refund.amount } },
        });
        const inFlight = await tx.payRefund.count({ where: { outTradeNo: refund.outTradeNo, state: 'PROCESSING' } });
        const state = inFlight > 0 ? 'REFUNDING' : order.refunded > 0 ? 'REFUNDED' : 'PAID';
        await tx.payOrder.update({ where: { id: order.id }, data: { state } });
        this.d.log.info({ outRefundNo, outTradeNo: refund.outTradeNo, status, amount: refund.amount }, 'pay: refund settled');
      })
      .catch(failsAs(databaseUnavailable));
  }
}
