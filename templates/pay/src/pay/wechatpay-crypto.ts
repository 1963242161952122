import { createDecipheriv, createSign, createVerify, randomBytes, type KeyObject } from 'node:crypto';

/**
 * WeChat Pay v3's cryptography, on node:crypto alone: request signatures, the answer and notification
 * signatures, the encrypted `resource`, and `paySign` for wx.requestPayment. Pure functions of their
 * arguments (clock and randomness are passed in where a test needs to fix them).
 */

const NONCE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random 32-character nonce of letters and digits (WeChat's limit for nonce_str and nonceStr). */
export function nonceStr(): string {
  return [...randomBytes(32)].map((b) => NONCE_CHARS[b % NONCE_CHARS.length]).join('');
}

/** Seconds since the epoch, as the 10-digit string every v3 signature uses. */
export const unixSeconds = (now = Date.now()) => String(Math.floor(now / 1000));

/** The lines of a v3 message, each ended by `\n` (the last one too). */
export const lines = (...parts: string[]) => parts.map((p) => `${p}\n`).join('');

/** base64 RSA-SHA256 (PKCS#1 v1.5) with the merchant's private key. */
export function rsaSign(message: string | Buffer, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message).sign(privateKey, 'base64');
}

export interface Merchant {
  mchid: string;
  /** The serial of the merchant API certificate (商户API证书序列号): WeChat finds our public key by it. */
  serial: string;
  privateKey: KeyObject;
}

/**
 * The `Authorization` header of a request to WeChat Pay: the merchant signs
 * `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n` (body empty for GET).
 */
export function authorization(
  m: Merchant,
  method: string,
  pathAndQuery: string,
  body: string,
  timestamp = unixSeconds(),
  nonce = nonceStr(),
): string {
  const signature = rsaSign(lines(method.toUpperCase(), pathAndQuery, timestamp, nonce, body), m.privateKey);
  return `WECHATPAY2-SHA256-RSA2048 mchid="${m.mchid}",nonce_str="${nonce}",timestamp="${timestamp}",serial_no="${m.serial}",signature="${signature}"`;
}

/** What `wx.requestPayment` takes, exactly. */
export interface JsapiPayment {
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: 'RSA';
  paySign: string;
}

/** The payment parameters for a prepay_id: paySign is the merchant's signature of `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function jsapiPayment(
  appid: string,
  prepayId: string,
  privateKey: KeyObject,
  timeStamp = unixSeconds(),
  nonce = nonceStr(),
): JsapiPayment {
  const pkg = `prepay_id=${prepayId}`;
  return { timeStamp, nonceStr: nonce, package: pkg, signType: 'RSA', paySign: rsaSign(lines(appid, timeStamp, nonce, pkg), privateKey) };
}

/** WeChat Pay's verification keys by the serial its `Wechatpay-Serial` header names (platform certificate serials and `PUB_KEY_ID_…`). */
export type WechatpayKeys = ReadonlyMap<string, KeyObject>;

/** Why a signed answer or notification was refused (for the log; WeChat only sees that it failed). */
export type SignatureProblem = 'missing headers' | 'signature probe' | 'stale timestamp' | 'unknown serial' | 'bad signature';

export class SignatureError extends Error {
  constructor(readonly problem: SignatureProblem) {
    super(`WeChat Pay signature refused: ${problem}`);
    this.name = 'SignatureError';
  }
}

/** A signature's timestamp may be this far from our clock, either way (WeChat's own advice: 5 minutes). */
export const MAX_CLOCK_SKEW_S = 300;

/** The headers of a signed answer or notification, looked up case-insensitively by the caller (Koa and fetch both do). */
export type HeaderGet = (name: string) => string | null | undefined;

/**
 * Checks WeChat Pay's signature of an answer or a notification: `timestamp\nnonce\nbody\n` over the body
 * bytes exactly as they came (a parsed and re-serialised body does not verify), with the key that
 * `Wechatpay-Serial` names, and a timestamp within ±5 minutes. Signature probes (`WECHATPAY/SIGNTEST/…`,
 * sent to see whether a merchant checks at all) are refused like any forgery. Throws a SignatureError.
 */
export function verifySignature(keys: WechatpayKeys, header: HeaderGet, rawBody: Buffer, nowMs = Date.now()): void {
  const timestamp = header('wechatpay-timestamp');
  const nonce = header('wechatpay-nonce');
  const signature = header('wechatpay-signature');
  const serial = header('wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) throw new SignatureError('missing headers');
  if (signature.startsWith('WECHATPAY/SIGNTEST/')) throw new SignatureError('signature probe');
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_S) {
    throw new SignatureError('stale timestamp');
  }
  const key = keys.get(serialKey(serial));
  if (!key) throw new SignatureError('unknown serial');
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), rawBody, Buffer.from('\n')]);
  // RSA verification compares inside OpenSSL; there is no secret to leak by timing here, only a public key.
  if (!createVerify('RSA-SHA256').update(message).verify(key, signature, 'base64')) throw new SignatureError('bad signature');
}

/**
 * Serials are compared as the integers they are: without regard to case (WeChat sends them upper-case)
 * or to leading zero bytes (a serial whose first byte is 00: Node's X509Certificate leaves them out).
 */
export const serialKey = (serial: string) =>
  serial.startsWith('PUB_KEY_ID_') ? serial : serial.toUpperCase().replace(/^(?:00)+(?=.)/, '');

/** A notification's encrypted `resource`. */
export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  nonce: string;
  associated_data?: string;
}

/**
 * Decrypts a notification's `resource`: AEAD_AES_256_GCM with the APIv3 key, its nonce and associated
 * data; the last 16 bytes of the base64 ciphertext are the tag. Throws on a wrong key or any tampering.
 */
export function decryptResource(apiv3Key: Buffer, r: EncryptedResource): string {
  if (r.algorithm !== 'AEAD_AES_256_GCM') throw new Error(`unsupported resource algorithm ${r.algorithm}`);
  const data = Buffer.from(r.ciphertext, 'base64');
  if (data.length < 16) throw new Error('resource ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', apiv3Key, Buffer.from(r.nonce), { authTagLength: 16 });
  decipher.setAuthTag(data.subarray(data.length - 16));
  decipher.setAAD(Buffer.from(r.associated_data ?? ''));
  return Buffer.concat([decipher.update(data.subarray(0, data.length - 16)), decipher.final()]).toString('utf8');
}
