import { createCipheriv, createPublicKey, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { lines, nonceStr, rsaSign, unixSeconds, type EncryptedResource } from '../src/pay/wechatpay-crypto';

type Json = Record<string, unknown>;

/** An order as the fake WeChat Pay holds it. */
export interface FakeOrder {
  appid: string;
  mchid: string;
  outTradeNo: string;
  description: string;
  total: number;
  openid: string;
  notifyUrl: string;
  timeExpire: string;
  state: 'NOTPAY' | 'SUCCESS' | 'CLOSED';
  transactionId?: string;
  successTime?: string;
}

export interface FakeRefund {
  outRefundNo: string;
  outTradeNo: string;
  refund: number;
  total: number;
  refundId: string;
  notifyUrl: string;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL';
}

/** A notification as WeChat Pay sends it: headers and the exact body bytes. */
export interface Notification {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How to spoil a notification, to test that the app refuses it. */
export interface Spoil {
  /** Seconds added to the signed timestamp (−600: sent 10 minutes ago). */
  timestampOffsetS?: number;
  /** Signed by a key that is not WeChat Pay's. */
  forgedKey?: boolean;
  /** A `WECHATPAY/SIGNTEST/` probe signature. */
  signtest?: boolean;
  /** The body changed after signing. */
  tamper?: (body: string) => string;
  /** What the decrypted transaction says instead (a wrong amount, another merchant…). */
  transaction?: (t: Json) => Json;
  /** Encrypted with another APIv3 key (signed correctly). */
  wrongApiv3Key?: boolean;
}

const json = (res: http.ServerResponse, status: number, body: unknown, sign?: (body: string) => Record<string, string>) => {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text ? { 'content-type': 'application/json' } : {}), ...(sign ? sign(text) : {}) }).end(text);
};

/**
 * A fake of WeChat Pay v3 on loopback, in public-key mode (微信支付公钥): it checks every request's
 * merchant signature, answers JSAPI orders, queries, closes and refunds signed with its own key (made at
 * start; the app is given its public key), and sends signed, encrypted payment and refund notifications,
 * spoiled on demand. `dev:mock` serves it; `POST /fake/pay/<outTradeNo>` pays an order from a shell.
 */
export class FakeWechatPay {
  readonly publicKeyId = `PUB_KEY_ID_${randomBytes(12).toString('hex').toUpperCase()}`;
  readonly orders = new Map<string, FakeOrder>();
  readonly refunds = new Map<string, FakeRefund>();
  readonly calls = { jsapi: 0, query: 0, close: 0, refund: 0, refused: 0 };
  /** Makes the next calls to a path prefix (e.g. `/v3/pay/transactions/jsapi`) answer this WeChat Pay error. */
  readonly failures = new Map<string, { status: number; code: string; message: string }>();
  /** Answers signed by a key that is not WeChat Pay's (a man in the middle): the app must not use them. */
  forgeAnswers = false;
  url = '';
  private readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  private readonly merchantKey: KeyObject;
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  constructor(
    readonly o: {
      mchid: string;
      /** The merchant certificate's serial the requests must name. */
      merchantSerial: string;
      /** The merchant's public key (PEM): every request's signature is checked against it. */
      merchantPublicKey: string;
      apiv3Key: string;
    },
  ) {
    this.merchantKey = createPublicKey(o.merchantPublicKey);
  }

  /** WeChat Pay's public key, PEM: what WXPAY_PUBLIC_KEY_FILE holds. */
  get publicKeyPem(): string {
    return this.key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The payer pays: the order becomes SUCCESS here, and its notification is returned (not sent). */
  pay(outTradeNo: string, spoil: Spoil = {}): Notification {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new Error(`fake WeChat Pay: no order ${outTradeNo}`);
    if (order.state === 'NOTPAY') {
      order.state = 'SUCCESS';
      order.transactionId = `42000${Date.now()}${randomBytes(4).toString('hex')}`;
      order.successTime = new Date().toISOString().replace(/\.\d+Z$/, '+00:00');
    }
    return this.paymentNotification(outTradeNo, spoil);
  }

  /** The TRANSACTION.SUCCESS notification of a paid order, freshly signed (WeChat Pay signs each retry anew). */
  paymentNotification(outTradeNo: string, spoil: Spoil = {}): Notification {
    const order = this.orders.get(outTradeNo)!;
    const transaction = (spoil.transaction ?? ((t) => t))(this.transaction(order));
    return this.notification(order.notifyUrl, 'TRANSACTION.SUCCESS', 'transaction', transaction, spoil);
  }

  /** WeChat Pay finishes a refund (SUCCESS, or ABNORMAL) and returns its REFUND.* notification (not sent). */
  finishRefund(outRefundNo: string, status: 'SUCCESS' | 'ABNORMAL' = 'SUCCESS', spoil: Spoil = {}): Notification {
    const refund = this.refunds.get(outRefundNo);
    if (!refund) throw new Error(`fake WeChat Pay: no refund ${outRefundNo}`);
    refund.status = status;
    const resource: Json = {
      mchid: this.o.mchid,
      out_trade_no: refund.outTradeNo,
      transaction_id: this.orders.get(refund.outTradeNo)?.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: status,
      success_time: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
      user_received_account: '支付用户零钱',
      amount: { total: refund.total, refund: refund.refund, payer_total: refund.total, payer_refund: refund.refund },
    };
    return this.notification(refund.notifyUrl, `REFUND.${status}`, 'refund', (spoil.transaction ?? ((t) => t))(resource), spoil);
  }

  /** POSTs a notification as WeChat Pay does; returns what the app answered. */
  async deliver(n: Notification): Promise<{ status: number; body: string }> {
    const res = await fetch(n.url, { method: 'POST', headers: n.headers, body: n.body });
    return { status: res.status, body: await res.text() };
  }

  private transaction(order: FakeOrder): Json {
    return {
      appid: order.appid,
      mchid: order.mchid,
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId,
      trade_type: 'JSAPI',
      trade_state: order.state,
      trade_state_desc: order.state === 'SUCCESS' ? '支付成功' : '未支付',
      bank_type: 'OTHERS',
      attach: '',
      ...(order.successTime ? { success_time: order.successTime } : {}),
      payer: { openid: order.openid },
      amount: { total: order.total, payer_total: order.total, currency: 'CNY', payer_currency: 'CNY' },
    };
  }

  private notification(url: string, eventType: string, originalType: string, resource: Json, spoil: Spoil): Notification {
    const apiv3Key = spoil.wrongApiv3Key ? randomBytes(16).toString('hex') : this.o.apiv3Key;
    const envelope = {
      id: randomBytes(16).toString('hex'),
      create_time: new Date().toISOString(),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: eventType.startsWith('REFUND') ? '退款状态改变' : '支付成功',
      resource: { original_type: originalType, ...FakeWechatPay.encrypt(apiv3Key, JSON.stringify(resource), originalType) },
    };
    const signed = JSON.stringify(envelope);
    const headers = this.signatureHeaders(signed, spoil);
    const body = spoil.tamper ? spoil.tamper(signed) : signed;
    return { url, headers: { 'content-type': 'application/json', ...headers }, body };
  }

  /** The Wechatpay-* headers of an answer or a notification: `timestamp\nnonce\nbody\n` signed with the fake's key. */
  signatureHeaders(body: string, spoil: Spoil = {}): Record<string, string> {
    const timestamp = String(Number(unixSeconds()) + (spoil.timestampOffsetS ?? 0));
    const nonce = nonceStr();
    const key = spoil.forgedKey ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey : this.key.privateKey;
    const signature = spoil.signtest
      ? `WECHATPAY/SIGNTEST/${randomBytes(48).toString('base64')}`
      : rsaSign(lines(timestamp, nonce, body), key);
    return {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': nonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': this.publicKeyId,
    };
  }

  /** AEAD_AES_256_GCM as WeChat Pay encrypts a notification's resource: the tag is appended to the ciphertext. */
  static encrypt(apiv3Key: string, plaintext: string, associatedData: string): EncryptedResource {
    const nonce = randomBytes(6).toString('hex'); // 12 characters, used as bytes
    const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiv3Key), Buffer.from(nonce));
    cipher.setAAD(Buffer.from(associatedData));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { algorithm: 'AEAD_AES_256_GCM', ciphertext: data.toString('base64'), nonce, associated_data: associatedData };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const pathAndQuery = req.url ?? '/';
      const url = new URL(pathAndQuery, 'http://fake');
      const paid = /^\/fake\/pay\/([\w-]+)$/.exec(url.pathname);
      if (paid && req.method === 'POST') return void this.devPay(paid[1], res);
      const sign = (text: string) => this.signatureHeaders(text, { forgedKey: this.forgeAnswers });
      const refused = this.authorizationProblem(req.method ?? 'GET', pathAndQuery, body, String(req.headers.authorization ?? ''));
      if (refused) {
        this.calls.refused++;
        return json(res, 401, { code: 'SIGN_ERROR', message: refused });
      }
      const failure = [...this.failures].find(([prefix]) => url.pathname.startsWith(prefix))?.[1];
      if (failure) return json(res, failure.status, { code: failure.code, message: failure.message }, sign);
      const b = (body ? JSON.parse(body) : {}) as Json;
      const byNo = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(url.pathname);
      if (req.method === 'POST' && url.pathname === '/v3/pay/transactions/jsapi') return this.jsapi(b, res, sign);
      if (byNo && req.method === 'GET' && !byNo[2])
        return this.query(decodeURIComponent(byNo[1]), url.searchParams.get('mchid'), res, sign);
      if (byNo && req.method === 'POST' && byNo[2]) return this.close(decodeURIComponent(byNo[1]), res, sign);
      if (req.method === 'POST' && url.pathname === '/v3/refund/domestic/refunds') return this.refund(b, res, sign);
      json(res, 404, { code: 'NOT_FOUND', message: 'no such API' }, sign);
    });
  }

  /** Checks `Authorization: WECHATPAY2-SHA256-RSA2048 …` against the merchant's public key; the problem, or null. */
  private authorizationProblem(method: string, pathAndQuery: string, body: string, header: string): string | null {
    if (!header.startsWith('WECHATPAY2-SHA256-RSA2048 ')) return 'no WECHATPAY2-SHA256-RSA2048 authorization';
    const fields = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (fields.mchid !== this.o.mchid) return 'unknown mchid';
    if (fields.serial_no?.toUpperCase() !== this.o.merchantSerial.toUpperCase()) return 'unknown merchant certificate serial';
    if (!fields.nonce_str || fields.nonce_str.length > 32) return 'bad nonce_str';
    if (Math.abs(Number(fields.timestamp) - Date.now() / 1000) > 300) return 'timestamp expired';
    const message = lines(method, pathAndQuery, fields.timestamp, fields.nonce_str, body);
    if (
      !createVerify('RSA-SHA256')
        .update(message)
        .verify(this.merchantKey, fields.signature ?? '', 'base64')
    )
      return 'signature does not verify';
    return null;
  }

  private jsapi(b: Json, res: http.ServerResponse, sign: (t: string) => Record<string, string>): void {
    this.calls.jsapi++;
    const amount = b.amount as { total?: unknown; currency?: unknown } | undefined;
    const payer = b.payer as { openid?: unknown } | undefined;
    const outTradeNo = b.out_trade_no;
    if (
      b.mchid !== this.o.mchid ||
      typeof b.appid !== 'string' ||
      typeof outTradeNo !== 'string' ||
      !/^[\w*-]{6,32}$/.test(outTradeNo) ||
      typeof b.description !== 'string' ||
      typeof b.notify_url !== 'string' ||
      typeof b.time_expire !== 'string' ||
      !Number.isInteger(amount?.total) ||
      (amount!.total as number) < 1 ||
      amount?.currency !== 'CNY' ||
      typeof payer?.openid !== 'string'
    ) {
      return json(res, 400, { code: 'PARAM_ERROR', message: 'invalid request' }, sign);
    }
    if (this.orders.get(outTradeNo)?.state === 'SUCCESS') return json(res, 400, { code: 'ORDERPAID', message: 'order paid' }, sign);
    this.orders.set(outTradeNo, {
      appid: b.appid,
      mchid: this.o.mchid,
      outTradeNo,
      description: b.description,
      total: amount!.total as number,
      openid: payer.openid,
      notifyUrl: b.notify_url,
      timeExpire: b.time_expire,
      state: 'NOTPAY',
    });
    json(res, 200, { prepay_id: `wx${Date.now()}${randomBytes(8).toString('hex')}` }, sign);
  }

  private query(outTradeNo: string, mchid: string | null, res: http.ServerResponse, sign: (t: string) => Record<string, string>): void {
    this.calls.query++;
    const order = this.orders.get(outTradeNo);
    if (!order || mchid !== this.o.mchid) return json(res, 404, { code: 'ORDER_NOT_EXIST', message: 'order not exist' }, sign);
    json(res, 200, this.transaction(order), sign);
  }

  private close(outTradeNo: string, res: http.ServerResponse, sign: (t: string) => Record<string, string>): void {
    this.calls.close++;
    const order = this.orders.get(outTradeNo);
    if (!order) return json(res, 404, { code: 'ORDER_NOT_EXIST', message: 'order not exist' }, sign);
    if (order.state === 'SUCCESS') return json(res, 400, { code: 'ORDERPAID', message: 'order paid' }, sign);
    order.state = 'CLOSED';
    json(res, 204, undefined, sign);
  }

  private refund(b: Json, res: http.ServerResponse, sign: (t: string) => Record<string, string>): void {
    this.calls.refund++;
    const order = this.orders.get(String(b.out_trade_no));
    const amount = b.amount as { refund?: number; total?: number } | undefined;
    if (!order || order.state !== 'SUCCESS') return json(res, 404, { code: 'RESOURCE_NOT_EXISTS', message: 'order not paid' }, sign);
    const refunded = [...this.refunds.values()]
      .filter((r) => r.outTradeNo === order.outTradeNo && r.status !== 'ABNORMAL')
      .reduce((s, r) => s + r.refund, 0);
    if (
      !Number.isInteger(amount?.refund) ||
      amount!.refund! < 1 ||
      amount?.total !== order.total ||
      refunded + amount!.refund! > order.total
    ) {
      return json(res, 400, { code: 'PARAM_ERROR', message: 'invalid refund amount' }, sign);
    }
    const refund: FakeRefund = {
      outRefundNo: String(b.out_refund_no),
      outTradeNo: order.outTradeNo,
      refund: amount!.refund!,
      total: order.total,
      refundId: `50000${Date.now()}${randomBytes(4).toString('hex')}`,
      notifyUrl: String(b.notify_url),
      status: 'PROCESSING',
    };
    this.refunds.set(refund.outRefundNo, refund);
    json(
      res,
      200,
      {
        refund_id: refund.refundId,
        out_refund_no: refund.outRefundNo,
        out_trade_no: refund.outTradeNo,
        channel: 'ORIGINAL',
        user_received_account: '支付用户零钱',
        create_time: new Date().toISOString(),
        status: 'PROCESSING',
        amount: { total: order.total, refund: refund.refund, currency: 'CNY' },
      },
      sign,
    );
  }

  /** dev:mock's one-command payment: pay the order and deliver its notification to the app. */
  private devPay(outTradeNo: string, res: http.ServerResponse): void {
    if (!this.orders.has(outTradeNo)) return json(res, 404, { error: `no order ${outTradeNo} at the fake WeChat Pay` });
    this.deliver(this.pay(outTradeNo)).then(
      (answer) => json(res, 200, { outTradeNo, appAnswered: answer.status }),
      (err: Error) => json(res, 502, { error: `the app did not take the notification: ${err.message}` }),
    );
  }
}
