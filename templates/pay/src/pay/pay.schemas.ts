import { z } from 'zod';

/** POST /api/pay/orders: what to buy. The price is the catalog's (src/pay/catalog.ts), never the client's. */
export const OrderBody = z
  .object({
    sku: z.string().min(1).max(64).describe('a key of the catalog, e.g. `sample`'),
    quantity: z.number().int().min(1).max(1000).optional().describe('1 unless given'),
  })
  .meta({ id: 'PayOrderBody' });

/** Exactly what `wx.requestPayment` takes. */
export const RequestPayment = z
  .object({
    timeStamp: z.string().describe('seconds since the epoch, 10 digits'),
    nonceStr: z.string(),
    package: z.string().describe('`prepay_id=…`'),
    signType: z.literal('RSA'),
    paySign: z.string().describe("the merchant's RSA-SHA256 signature of appId, timeStamp, nonceStr and package"),
  })
  .meta({ id: 'RequestPayment' });

export const CreatedOrderAnswer = z
  .object({ outTradeNo: z.string(), amount: z.number().int().describe('fen (分)'), payment: RequestPayment })
  .meta({ id: 'PayOrderCreated' });

export const OrderAnswer = z
  .object({
    outTradeNo: z.string(),
    state: z.enum(['CREATED', 'PAID', 'CLOSED', 'REFUNDING', 'REFUNDED']),
    amount: z.number().int().describe('fen (分)'),
    paidAt: z.string().optional(),
    refunded: z.number().int().optional().describe('fen refunded so far'),
  })
  .meta({ id: 'PayOrder' });

export const OrderParams = z.object({ outTradeNo: z.string().regex(/^[\w-]{6,32}$/, 'not an order number') });

/** A WeChat Pay notification as signed; the handler reads the raw bytes (the signature covers them). */
export const Notification = z
  .object({
    id: z.string(),
    event_type: z.string(),
    resource_type: z.string(),
    resource: z.object({ algorithm: z.string(), ciphertext: z.string(), nonce: z.string(), associated_data: z.string().optional() }),
  })
  .meta({ id: 'WechatpayNotification' });
