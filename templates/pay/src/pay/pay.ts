import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../platform/log';
import { handleNotification, type NotificationKind, type NotifyAnswer } from './notifications';
import { Orders } from './orders';
import { Refunds } from './refunds';
import type { PayConfig } from './settings';
import type { HeaderGet } from './wechatpay-crypto';
import { WechatpayClient } from './wechatpay-client';

/** WeChat Pay as the routes and scripts use it. */
export interface Pay {
  config: PayConfig;
  orders: Orders;
  refunds: Refunds;
  /** Handles a notification from its raw body bytes; never throws. */
  notify(kind: NotificationKind, header: HeaderGet, rawBody: Buffer): Promise<NotifyAnswer>;
}

/** Builds the pay feature from its settings; null when payment is off (the routes then answer 503). */
export function createPay(config: PayConfig | null, d: { prisma: PrismaClient; log: Logger; timeoutMs: number }): Pay | null {
  if (!config) return null;
  const client = new WechatpayClient({ ...config, timeoutMs: d.timeoutMs });
  const deps = { prisma: d.prisma, client, config, log: d.log };
  const orders = new Orders(deps);
  const refunds = new Refunds(deps);
  return {
    config,
    orders,
    refunds,
    notify: (kind, header, rawBody) => handleNotification(kind, header, rawBody, { config, orders, refunds, log: d.log }),
  };
}
