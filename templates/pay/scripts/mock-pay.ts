import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FakeWechatPay } from './fake-wechat-pay';

/**
 * dev:mock's WeChat Pay: a fake merchant (keys made now, in a temporary folder) and the fake WeChat Pay
 * that knows it. `env` is what the app's WXPAY_ settings become; `stop()` removes the keys.
 */
export async function startMockPay(appBaseUrl: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mock-wxpay-'));
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const mchid = '1900000109';
  const serial = randomBytes(20).toString('hex').toUpperCase();
  const apiv3Key = randomBytes(16).toString('hex');
  const keyFile = path.join(dir, 'apiclient_key.pem');
  fs.writeFileSync(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  const merchantPublicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const fake = await new FakeWechatPay({ mchid, merchantSerial: serial, merchantPublicKey, apiv3Key }).start();
  const publicKeyFile = path.join(dir, 'pub_key.pem');
  fs.writeFileSync(publicKeyFile, fake.publicKeyPem);
  return {
    fake,
    env: {
      WXPAY_MCHID: mchid,
      WXPAY_MCH_SERIAL: serial,
      WXPAY_MCH_PRIVATE_KEY_FILE: keyFile,
      WXPAY_APIV3_KEY: apiv3Key,
      WXPAY_PUBLIC_KEY_ID: fake.publicKeyId,
      WXPAY_PUBLIC_KEY_FILE: publicKeyFile,
      WXPAY_NOTIFY_URL: `${appBaseUrl}/api/pay/notify`,
      WXPAY_API_BASE: fake.url,
    },
    /** The one command that pays a dev order: the fake marks it paid and sends the app its signed notification. */
    hint: `  curl -s -X POST ${fake.url}/fake/pay/<outTradeNo>   # pays an order of POST /api/pay/orders`,
    async stop() {
      await fake.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
