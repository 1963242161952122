import type { Logger } from '../platform/log';
import type { Orders } from './orders';
import type { Refunds } from './refunds';
import type { PayConfig } from './settings';
import type { Refund, Transaction } from './wechatpay-client';
import { decryptResource, SignatureError, verifySignature, type EncryptedResource, type HeaderGet } from './wechatpay-crypto';

/** What the notify routes answer: WeChat Pay reads 200/204 as done, and retries on 4xx/5xx with `{code, message}`. */
export interface NotifyAnswer {
  status: number;
  body?: { code: string; message: string };
}

const fail = (status: number, message: string): NotifyAnswer => ({ status, body: { code: 'FAIL', message } });

export type NotificationKind = 'payment' | 'refund';

/**
 * Handles one WeChat Pay notification: nothing in it is trusted before its signature holds over the raw
 * body bytes; then its resource is decrypted and applied (idempotently). Never throws: every failure is
 * an answer WeChat Pay retries.
 */
export async function handleNotification(
  kind: NotificationKind,
  header: HeaderGet,
  rawBody: Buffer,
  d: { config: PayConfig; orders: Orders; refunds: Refunds; log: Logger; now?: () => number },
): Promise<NotifyAnswer> {
  try {
    verifySignature(d.config.wechatpayKeys, header, rawBody, d.now?.());
  } catch (err) {
    if (!(err instanceof SignatureError)) throw err;
    d.log.warn(
      { problem: err.problem, serial: header('wechatpay-serial')?.slice(0, 64) },
      `pay: ${kind} notification refused: ${err.problem}`,
    );
    return fail(401, 'signature check failed');
  }
  let plain: unknown;
  let eventType: unknown;
  try {
    const envelope = JSON.parse(rawBody.toString('utf8')) as { event_type?: unknown; resource?: EncryptedResource };
    eventType = envelope.event_type;
    plain = JSON.parse(decryptResource(d.config.apiv3Key, envelope.resource!));
  } catch {
    // signed by WeChat Pay yet unreadable: most likely a wrong WXPAY_APIV3_KEY
    d.log.error({ kind }, 'pay: a signed notification could not be decrypted; check WXPAY_APIV3_KEY');
    return fail(400, 'resource could not be decrypted');
  }
  if (typeof plain !== 'object' || plain === null || typeof eventType !== 'string') return fail(400, 'not a notification');
  try {
    if (kind === 'payment') {
      if (!eventType.startsWith('TRANSACTION.')) return fail(400, `${eventType} is not a payment notification`);
      const applied = await d.orders.applyTransaction(plain as Transaction, 'notify');
      return applied === 'mismatch' ? fail(400, 'no such order, or it does not match') : { status: 204 };
    }
    if (!eventType.startsWith('REFUND.')) return fail(400, `${eventType} is not a refund notification`);
    return (await d.refunds.applyRefund(plain as Refund)) ? { status: 204 } : fail(400, 'no such refund, or it does not match');
  } catch (err) {
    d.log.error({ err, kind }, 'pay: applying a notification failed; WeChat Pay will retry');
    return fail(500, 'not applied; retry');
  }
}
