import { httpError } from '../platform/errors';
import { authorization, SignatureError, verifySignature, type Merchant, type WechatpayKeys } from './wechatpay-crypto';

/** WeChat Pay's JSON answers are a few KB; anything far larger is not WeChat Pay, and is not read. */
const MAX_ANSWER_BYTES = 256 * 1024;

export type PayJson = Record<string, unknown>;

/** A failed call to WeChat Pay: the client sees a safe message; `wxpayCode` (WeChat's own code) goes to the log. */
export const payError = (status: number, code: string, message: string, wxpayCode?: string, cause?: unknown) =>
  httpError(status, code, message, { wxpayCode, cause });

/** A transaction as WeChat Pay reports it (query answers and decrypted payment notifications). */
export interface Transaction {
  appid?: string;
  mchid?: string;
  out_trade_no?: string;
  transaction_id?: string;
  trade_state?: string;
  success_time?: string;
  amount?: { total?: number; payer_total?: number; currency?: string };
  payer?: { openid?: string };
}

/** A refund as WeChat Pay reports it (refund answers and decrypted refund notifications). */
export interface Refund {
  mchid?: string;
  out_trade_no?: string;
  out_refund_no?: string;
  refund_id?: string;
  /** the refund answer's state */
  status?: string;
  /** the refund notification's state */
  refund_status?: string;
  amount?: { total?: number; refund?: number };
}

export interface JsapiOrder {
  description: string;
  outTradeNo: string;
  /** RFC 3339, e.g. 2026-12-04T20:15:00+08:00 */
  timeExpire: string;
  totalFen: number;
  openid: string;
}

export interface WechatpayClientOptions {
  appid: string;
  merchant: Merchant;
  wechatpayKeys: WechatpayKeys;
  apiBase: string;
  notifyUrl: string;
  refundNotifyUrl: string;
  timeoutMs: number;
}

/**
 * The WeChat Pay v3 calls the app makes (JSAPI order, query, close, refund). Every request is signed with
 * the merchant key; every answer's signature is checked over its raw bytes before anything in it is used.
 */
export class WechatpayClient {
  constructor(private readonly o: WechatpayClientOptions) {}

  /** Places a JSAPI (小程序) order and returns its prepay_id. */
  async jsapi(order: JsapiOrder): Promise<string> {
    const answer = await this.call('POST', '/v3/pay/transactions/jsapi', {
      appid: this.o.appid,
      mchid: this.o.merchant.mchid,
      description: order.description,
      out_trade_no: order.outTradeNo,
      time_expire: order.timeExpire,
      notify_url: this.o.notifyUrl,
      amount: { total: order.totalFen, currency: 'CNY' },
      payer: { openid: order.openid },
    });
    if (typeof answer?.prepay_id !== 'string' || answer.prepay_id === '') throw badAnswer();
    return answer.prepay_id;
  }

  /** The order as WeChat Pay knows it; null when WeChat Pay has no such order. */
  async query(outTradeNo: string): Promise<Transaction | null> {
    const path = `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(this.o.merchant.mchid)}`;
    try {
      return (await this.call('GET', path)) as Transaction;
    } catch (err) {
      if ((err as { wxpayCode?: string }).wxpayCode === 'ORDER_NOT_EXIST') return null;
      throw err;
    }
  }

  /** Closes an unpaid order at WeChat Pay (an order it never heard of counts as closed). */
  async close(outTradeNo: string): Promise<void> {
    try {
      await this.call('POST', `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, {
        mchid: this.o.merchant.mchid,
      });
    } catch (err) {
      if ((err as { wxpayCode?: string }).wxpayCode !== 'ORDER_NOT_EXIST') throw err;
    }
  }

  /** Asks for a refund of `refundFen` of an order of `totalFen`. */
  async refund(r: { outTradeNo: string; outRefundNo: string; refundFen: number; totalFen: number; reason?: string }): Promise<Refund> {
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', {
      out_trade_no: r.outTradeNo,
      out_refund_no: r.outRefundNo,
      ...(r.reason ? { reason: r.reason } : {}),
      notify_url: this.o.refundNotifyUrl,
      amount: { refund: r.refundFen, total: r.totalFen, currency: 'CNY' },
    });
    if (!answer) throw badAnswer();
    return answer as Refund;
  }

  /** One signed call; the answer's JSON (null for 204), verified. WeChat Pay's errors become payErrors. */
  private async call(method: 'GET' | 'POST', pathAndQuery: string, body?: PayJson): Promise<PayJson | null> {
    const text = body === undefined ? '' : JSON.stringify(body);
    let response: Response;
    let raw: Buffer;
    try {
      response = await fetch(`${this.o.apiBase}${pathAndQuery}`, {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          authorization: authorization(this.o.merchant, method, pathAndQuery, text),
        },
        body: body === undefined ? undefined : text,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      raw = await readCapped(response);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'WXPAY_BAD_RESPONSE') throw err;
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw payError(504, 'WXPAY_TIMEOUT', 'WeChat Pay did not answer in time; retry shortly.');
      throw payError(502, 'WXPAY_UNAVAILABLE', 'WeChat Pay could not be reached; retry shortly.', undefined, err);
    }
    const json = parseJson(raw);
    if (!response.ok) {
      // An error answer is not trusted for anything but its code, which picks our message (and goes to the log).
      const code = typeof json?.code === 'string' ? json.code.slice(0, 64) : undefined;
      throw payError(502, 'WXPAY_ERROR', `WeChat Pay refused the request${code ? ` (${code})` : ` (HTTP ${response.status})`}.`, code);
    }
    try {
      verifySignature(this.o.wechatpayKeys, (name) => response.headers.get(name), raw);
    } catch (err) {
      if (err instanceof SignatureError)
        throw payError(502, 'WXPAY_BAD_SIGNATURE', "WeChat Pay's answer failed its signature check.", err.problem, err);
      throw err;
    }
    if (raw.length > 0 && json === null) throw badAnswer();
    return json;
  }
}

const badAnswer = () => payError(502, 'WXPAY_BAD_RESPONSE', 'WeChat Pay answered with something that is not its JSON API.');

function parseJson(raw: Buffer): PayJson | null {
  if (raw.length === 0) return null;
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as PayJson) : null;
  } catch {
    return null;
  }
}

async function readCapped(response: Response): Promise<Buffer> {
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) throw badAnswer();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_ANSWER_BYTES) throw badAnswer();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
