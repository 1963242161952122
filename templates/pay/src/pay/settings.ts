import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { serialKey, type Merchant, type WechatpayKeys } from './wechatpay-crypto';

/** Environment values are text; blank counts as unset. */
const text = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);
const maybe = (schema: z.ZodType<string>) => z.preprocess(text, schema.optional());

/**
 * WeChat Pay's settings, declared once like the others. All empty: payment is off and the pay routes
 * answer 503 PAY_NOT_CONFIGURED. Half set: the start fails naming what is missing.
 */
export const PAY_ENV = {
  WXPAY_MCHID: maybe(z.string().regex(/^\d{8,12}$/, 'must be the merchant id (商户号), digits')).describe('the merchant id (商户号)'),
  WXPAY_MCH_SERIAL: maybe(z.string().regex(/^[0-9A-Fa-f]{8,40}$/, 'must be the hex serial of the merchant API certificate')).describe(
    'the serial of the merchant API certificate (商户API证书序列号)',
  ),
  WXPAY_MCH_PRIVATE_KEY_FILE: maybe(z.string()).describe("the merchant API certificate's private key, a PEM file (apiclient_key.pem)"),
  WXPAY_APIV3_KEY: maybe(z.string().refine((s) => Buffer.byteLength(s) === 32, 'must be the 32-byte APIv3 key')).describe(
    'the APIv3 key (32 bytes): decrypts notifications',
  ),
  WXPAY_PUBLIC_KEY_ID: maybe(z.string().regex(/^PUB_KEY_ID_\w+$/, 'must start with PUB_KEY_ID_')).describe(
    'the ID of the WeChat Pay public key (微信支付公钥ID), public-key mode',
  ),
  WXPAY_PUBLIC_KEY_FILE: maybe(z.string()).describe('the WeChat Pay public key, a PEM file (pub_key.pem), public-key mode'),
  WXPAY_PLATFORM_CERT_FILES: maybe(z.string()).describe('WeChat Pay platform certificates (平台证书), PEM files separated by commas'),
  WXPAY_NOTIFY_URL: maybe(z.string().regex(/^https?:\/\/[^/]+\/\S*$/, 'must be an http(s) URL')).describe(
    'where WeChat Pay sends payment notifications (public, https): …/api/pay/notify',
  ),
  WXPAY_API_BASE: z
    .preprocess(
      text,
      z
        .string()
        .regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL')
        .default('https://api.mch.weixin.qq.com'),
    )
    .transform((u) => u.replace(/\/+$/, ''))
    .describe("WeChat Pay's API; only tests and dev:mock point it elsewhere"),
  WXPAY_ORDER_TTL_S: z
    .preprocess(text, z.string().regex(/^\d+$/, 'must be seconds from 60 to 7200').default('900'))
    .transform(Number)
    .pipe(z.number().min(60, 'must be seconds from 60 to 7200').max(7200, 'must be seconds from 60 to 7200'))
    .describe('how long an order can be paid, seconds; then the sweep closes it'),
};

export const PAY_SCHEMA = z.object(PAY_ENV);
export type PayEnv = z.infer<typeof PAY_SCHEMA>;

/** Payment as the app uses it, once its keys are read. */
export interface PayConfig {
  appid: string;
  merchant: Merchant;
  apiv3Key: Buffer;
  /** WeChat Pay's keys: its public key and/or its platform certificates, by the serial it signs with. */
  wechatpayKeys: WechatpayKeys;
  notifyUrl: string;
  refundNotifyUrl: string;
  apiBase: string;
  orderTtlSeconds: number;
}

const MERCHANT = ['WXPAY_MCHID', 'WXPAY_MCH_SERIAL', 'WXPAY_MCH_PRIVATE_KEY_FILE', 'WXPAY_APIV3_KEY', 'WXPAY_NOTIFY_URL'] as const;

function readPem(setting: string, file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${setting}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { cause: err });
  }
}

function parseKey<T>(setting: string, file: string, parse: (pem: string) => T): T {
  const pem = readPem(setting, file);
  try {
    return parse(pem);
  } catch (err) {
    throw new Error(`${setting}: ${file} is not the expected PEM`, { cause: err });
  }
}

/**
 * Checks the pay settings and reads their key files: null when payment is off (every merchant setting
 * empty). Throws one Error listing every problem, worded for the person who edits .env.
 */
export function loadPayConfig(e: PayEnv, appid: string, production: boolean): PayConfig | null {
  const set = MERCHANT.filter((k) => e[k] !== undefined);
  const keysGiven = e.WXPAY_PUBLIC_KEY_ID || e.WXPAY_PUBLIC_KEY_FILE || e.WXPAY_PLATFORM_CERT_FILES;
  if (set.length === 0 && !keysGiven) return null;
  const problems: string[] = MERCHANT.filter((k) => e[k] === undefined).map(
    (k) => `${k} is missing (payment is on: other WXPAY_ settings are set)`,
  );
  if (!e.WXPAY_PUBLIC_KEY_ID !== !e.WXPAY_PUBLIC_KEY_FILE) problems.push('WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY_FILE go together');
  if (!e.WXPAY_PUBLIC_KEY_FILE && !e.WXPAY_PLATFORM_CERT_FILES) {
    problems.push("WeChat Pay's key is missing: set WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY_FILE, or WXPAY_PLATFORM_CERT_FILES, or both");
  }
  if (production && e.WXPAY_NOTIFY_URL && !e.WXPAY_NOTIFY_URL.startsWith('https://'))
    problems.push('WXPAY_NOTIFY_URL must be https:// in production');
  if (production && !e.WXPAY_API_BASE.startsWith('https://')) problems.push('WXPAY_API_BASE must be https:// in production');
  if (problems.length > 0) throw new Error(problems.join('\n'));

  const privateKey = parseKey('WXPAY_MCH_PRIVATE_KEY_FILE', e.WXPAY_MCH_PRIVATE_KEY_FILE!, (pem) => createPrivateKey(pem));
  const keys = new Map<string, KeyObject>();
  if (e.WXPAY_PUBLIC_KEY_ID && e.WXPAY_PUBLIC_KEY_FILE) {
    keys.set(
      e.WXPAY_PUBLIC_KEY_ID,
      parseKey('WXPAY_PUBLIC_KEY_FILE', e.WXPAY_PUBLIC_KEY_FILE, (pem) => createPublicKey(pem)),
    );
  }
  for (const file of (e.WXPAY_PLATFORM_CERT_FILES ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean)) {
    const cert = parseKey('WXPAY_PLATFORM_CERT_FILES', file, (pem) => new X509Certificate(pem));
    keys.set(serialKey(cert.serialNumber), cert.publicKey);
  }
  // The most common mistake in the field: verifying WeChat Pay's signatures with the merchant's own certificate.
  if (keys.has(serialKey(e.WXPAY_MCH_SERIAL!))) {
    throw new Error(
      "WXPAY_PLATFORM_CERT_FILES holds the merchant's own API certificate: WeChat Pay signs with its platform certificate or public key",
    );
  }
  const notifyUrl = e.WXPAY_NOTIFY_URL!;
  return {
    appid,
    merchant: { mchid: e.WXPAY_MCHID!, serial: e.WXPAY_MCH_SERIAL!.toUpperCase(), privateKey },
    apiv3Key: Buffer.from(e.WXPAY_APIV3_KEY!),
    wechatpayKeys: keys,
    notifyUrl,
    // …/api/pay/notify → …/api/pay/refund-notify
    refundNotifyUrl: new URL('refund-notify', notifyUrl).toString(),
    apiBase: e.WXPAY_API_BASE,
    orderTtlSeconds: e.WXPAY_ORDER_TTL_S,
  };
}
