import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FakeWechatPay } from '../../scripts/fake-wechat-pay';
import { createPrisma } from '../../src/db';
import { memoryLogger } from '../../src/platform/log';
import { handleNotification } from '../../src/pay/notifications';
import { Orders, type PayDeps } from '../../src/pay/orders';
import { Refunds } from '../../src/pay/refunds';
import { loadPayConfig, PAY_SCHEMA, type PayEnv } from '../../src/pay/settings';
import { WechatpayClient } from '../../src/pay/wechatpay-client';
import { testDatabaseUrl } from './database';
import { testAppid } from './test-run';

/**
 * A merchant as the tests use it: an API key pair in PEM files, an APIv3 key, and a fake WeChat Pay that
 * knows the merchant's public key and signs with its own (given to the app as WXPAY_PUBLIC_KEY_FILE).
 */
export async function fakeMerchant() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-'));
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const mchid = String(1_900_000_000 + Math.floor(Math.random() * 99_999_999));
  const serial = randomBytes(20).toString('hex').toUpperCase();
  const apiv3Key = randomBytes(16).toString('hex');
  const keyFile = path.join(dir, 'apiclient_key.pem');
  fs.writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const fake = await new FakeWechatPay({
    mchid,
    merchantSerial: serial,
    merchantPublicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    apiv3Key,
  }).start();
  const publicKeyFile = path.join(dir, 'pub_key.pem');
  fs.writeFileSync(publicKeyFile, fake.publicKeyPem);
  /** The WXPAY_ settings of this merchant, pointed at the fake and at `notifyUrl`. */
  const env = (notifyUrl: string): Record<string, string> => ({
    WXPAY_MCHID: mchid,
    WXPAY_MCH_SERIAL: serial,
    WXPAY_MCH_PRIVATE_KEY_FILE: keyFile,
    WXPAY_APIV3_KEY: apiv3Key,
    WXPAY_PUBLIC_KEY_ID: fake.publicKeyId,
    WXPAY_PUBLIC_KEY_FILE: publicKeyFile,
    WXPAY_NOTIFY_URL: notifyUrl,
    WXPAY_API_BASE: fake.url,
  });
  return {
    fake,
    mchid,
    serial,
    dir,
    merchantPublicKey: keys.publicKey,
    env,
    async close() {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type FakeMerchant = Awaited<ReturnType<typeof fakeMerchant>>;

/**
 * The pay services on the test database, against a fake WeChat Pay, with the notify routes served on
 * loopback from the raw body bytes. `restart()` builds them again on the same database: what an app
 * restart keeps.
 */
export async function startPayServices(o: { merchant?: FakeMerchant; now?: () => number; env?: Partial<PayEnv> } = {}) {
  const merchant = o.merchant ?? (await fakeMerchant());
  const appid = testAppid();
  const log = memoryLogger();
  let services: ReturnType<typeof build>;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const kind = req.url === '/api/pay/notify' ? 'payment' : 'refund';
      const header = (name: string) => {
        const v = req.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };
      void handleNotification(kind, header, Buffer.concat(chunks), services).then((a) => {
        res.writeHead(a.status, a.body ? { 'content-type': 'application/json' } : {}).end(a.body ? JSON.stringify(a.body) : '');
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/pay/notify`;
  const config = loadPayConfig(PAY_SCHEMA.parse({ ...merchant.env(notifyUrl), ...o.env }), appid, false)!;

  function build() {
    const prisma = createPrisma(testDatabaseUrl());
    const client = new WechatpayClient({ ...config, timeoutMs: 2000 });
    const deps: PayDeps = { prisma, client, config, log, now: o.now };
    return { ...deps, orders: new Orders(deps), refunds: new Refunds(deps) };
  }
  services = build();

  return {
    get s() {
      return services;
    },
    merchant,
    fake: merchant.fake,
    appid,
    config,
    log,
    /** Log lines that contain `text`. */
    logged: (text: string) => log.lines.filter((l) => l.includes(text)),
    async restart() {
      await services.prisma.$disconnect();
      services = build();
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await services.prisma.$disconnect();
      if (!o.merchant) await merchant.close();
    },
  };
}
