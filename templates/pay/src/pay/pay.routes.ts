import { loginRequired } from '../auth/guard';
import type { AppContext } from '../auth/state';
import { httpError } from '../platform/errors';
import { route } from '../platform/route';
import type { NotificationKind, NotifyAnswer } from './notifications';
import type { Pay } from './pay';
import { CreatedOrderAnswer, Notification, OrderAnswer, OrderBody, OrderParams } from './pay.schemas';

/** What the pay routes need of the app: null when the WXPAY_ settings are empty. */
export interface PayServices {
  pay: Pay | null;
}

/** WeChat Pay's notifications are about 1 KB; anything far larger is not one. */
const NOTIFY_MAX_BYTES = 64 * 1024;

const payOf = (s: PayServices): Pay => {
  if (!s.pay) throw httpError(503, 'PAY_NOT_CONFIGURED', 'WeChat Pay is not configured on this server (the WXPAY_ settings).');
  return s.pay;
};

/** The body's bytes exactly as they came (the signature covers them), or null past the cap. */
async function rawBody(ctx: AppContext): Promise<Buffer | null> {
  if (Number(ctx.get('content-length') || 0) > NOTIFY_MAX_BYTES) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > NOTIFY_MAX_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A notify route's answer, in WeChat Pay's own format: 204 when done, else 4xx/5xx with `{code, message}` so that it retries. */
async function notify(kind: NotificationKind, ctx: AppContext, s: PayServices): Promise<undefined> {
  let answer: NotifyAnswer;
  if (!s.pay) answer = { status: 503, body: { code: 'FAIL', message: 'WeChat Pay is not configured here' } };
  else {
    const raw = await rawBody(ctx);
    answer = raw
      ? await s.pay.notify(kind, (name) => ctx.get(name) || undefined, raw)
      : { status: 413, body: { code: 'FAIL', message: 'too large' } };
  }
  ctx.status = answer.status;
  if (answer.body) ctx.body = answer.body;
  return undefined;
}

const PAY_ERRORS = {
  502: ['WXPAY_ERROR', 'WXPAY_BAD_SIGNATURE', 'WXPAY_BAD_RESPONSE', 'WXPAY_UNAVAILABLE'],
  503: ['PAY_NOT_CONFIGURED', 'DATABASE_UNAVAILABLE'],
  504: ['WXPAY_TIMEOUT'],
};
const NOTIFY_ERRORS = { 400: ['FAIL'], 401: ['FAIL'], 413: ['FAIL'], 503: ['FAIL'] };

/** WeChat Pay (小程序支付): orders placed by the logged-in user; notifications from WeChat Pay, signed. */
export const payRoutes = [
  route({
    method: 'POST',
    path: '/api/pay/orders',
    guard: loginRequired,
    summary: 'Place an order and get what wx.requestPayment takes',
    description:
      'The price comes from the server-side catalog (src/pay/catalog.ts). The order is stored CREATED, then placed at WeChat Pay (JSAPI); if WeChat Pay refuses, it stays CREATED and the error says why.',
    tag: 'pay',
    body: { json: OrderBody },
    answers: { 201: { description: 'The order and the signed payment parameters.', json: CreatedOrderAnswer } },
    errors: { 400: ['UNKNOWN_SKU', 'BAD_QUANTITY'], ...PAY_ERRORS },
    handler: async (ctx: AppContext, { body }, s: PayServices) => {
      const order = await payOf(s).orders.create(ctx.state.jwtUser!, body.sku, body.quantity ?? 1);
      ctx.status = 201;
      return order;
    },
  }),
  route({
    method: 'GET',
    path: '/api/pay/orders/:outTradeNo',
    guard: loginRequired,
    summary: 'One of my orders',
    description: 'Its owner only. While it is CREATED and a few seconds old, WeChat Pay is asked (its notification may be late or lost).',
    tag: 'pay',
    params: OrderParams,
    answers: { 200: { description: 'The order.', json: OrderAnswer } },
    errors: { 404: ['ORDER_NOT_FOUND'], 503: ['PAY_NOT_CONFIGURED', 'DATABASE_UNAVAILABLE'] },
    handler: async (ctx: AppContext, { params }, s: PayServices) => payOf(s).orders.get(ctx.state.jwtUser!.id, params.outTradeNo),
  }),
  route({
    method: 'POST',
    path: '/api/pay/notify',
    summary: "WeChat Pay's payment notification (支付通知)",
    description:
      'Verified over the raw body (Wechatpay-Signature, -Timestamp within 5 minutes, -Nonce, -Serial), decrypted with the APIv3 key, matched to the stored order; applied once.',
    tag: 'pay',
    body: { json: Notification, raw: true },
    answers: { 204: { description: 'Applied, or already applied.', empty: true } },
    errors: NOTIFY_ERRORS,
    handler: (ctx: AppContext, _input, s: PayServices) => notify('payment', ctx, s),
  }),
  route({
    method: 'POST',
    path: '/api/pay/refund-notify',
    summary: "WeChat Pay's refund notification (退款结果通知)",
    description: 'Verified and decrypted as the payment notification; settles the refund once.',
    tag: 'pay',
    body: { json: Notification, raw: true },
    answers: { 204: { description: 'Applied, or already applied.', empty: true } },
    errors: NOTIFY_ERRORS,
    handler: (ctx: AppContext, _input, s: PayServices) => notify('refund', ctx, s),
  }),
];
