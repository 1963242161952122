import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadPayConfig, PAY_SCHEMA } from '../src/pay/settings';
import { rsaSign, verifySignature } from '../src/pay/wechatpay-crypto';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-settings-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string | Buffer) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};
const merchantKey = write(
  'apiclient_key.pem',
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
);
const wechatpay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicKeyFile = write('pub_key.pem', wechatpay.publicKey.export({ type: 'spki', format: 'pem' }));

const MERCHANT = {
  WXPAY_MCHID: '1900000001',
  WXPAY_MCH_SERIAL: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1',
  WXPAY_MCH_PRIVATE_KEY_FILE: merchantKey,
  WXPAY_APIV3_KEY: 'a'.repeat(32),
  WXPAY_NOTIFY_URL: 'https://api.example.com/api/pay/notify',
};
const PUBLIC_KEY = { WXPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000', WXPAY_PUBLIC_KEY_FILE: publicKeyFile };

const load = (env: Record<string, string>, production = false) => loadPayConfig(PAY_SCHEMA.parse(env), 'wx0123456789abcdef', production);
const problems = (env: Record<string, string>, production = false) => {
  try {
    load(env, production);
    return [];
  } catch (err) {
    return (err as Error).message.split('\n');
  }
};

/** A self-signed certificate, as WeChat Pay's platform certificates are X.509 (openssl, as scripts/self-signed-cert.sh uses). */
function platformCertificate(): { file: string; serial: string; key: ReturnType<typeof generateKeyPairSync>['privateKey'] } {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = write('platform_key.pem', keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  // first digit 1: neither a leading zero byte (the certificate drops it) nor a negative number
  const serial = `1${randomBytes(20).toString('hex').toUpperCase().slice(1)}`;
  const file = path.join(dir, 'wechatpay_cert.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', keyFile, '-subj', '/CN=Tenpay.com Root CA', '-days', '30', '-set_serial', `0x${serial}`, '-out', file],
    {
      stdio: 'ignore',
    },
  );
  return { file, serial, key: keys.privateKey };
}

describe('pay settings', () => {
  test('all empty: payment is off (the routes answer 503), and nothing is read', () => {
    expect(load({})).toBeNull();
    expect(load({ WXPAY_API_BASE: 'http://127.0.0.1:1' })).toBeNull();
  });

  test('half set: the start fails, naming every missing setting', () => {
    expect(problems({ WXPAY_MCHID: '1900000001' })).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^WXPAY_MCH_SERIAL is missing/),
        expect.stringMatching(/^WXPAY_MCH_PRIVATE_KEY_FILE is missing/),
        expect.stringMatching(/^WXPAY_APIV3_KEY is missing/),
        expect.stringMatching(/^WXPAY_NOTIFY_URL is missing/),
        expect.stringMatching(/^WeChat Pay's key is missing/),
      ]),
    );
    expect(problems({ ...MERCHANT, WXPAY_PUBLIC_KEY_ID: PUBLIC_KEY.WXPAY_PUBLIC_KEY_ID })).toContain(
      'WXPAY_PUBLIC_KEY_ID and WXPAY_PUBLIC_KEY_FILE go together',
    );
    expect(() => PAY_SCHEMA.parse({ WXPAY_APIV3_KEY: 'short' })).toThrow(/32-byte/);
  });

  test('production wants https for the notify URL and the API', () => {
    expect(problems({ ...MERCHANT, ...PUBLIC_KEY, WXPAY_NOTIFY_URL: 'http://api.example.com/api/pay/notify' }, true)).toEqual([
      'WXPAY_NOTIFY_URL must be https:// in production',
    ]);
    expect(problems({ ...MERCHANT, ...PUBLIC_KEY, WXPAY_API_BASE: 'http://127.0.0.1:9' }, true)).toEqual([
      'WXPAY_API_BASE must be https:// in production',
    ]);
  });

  test('a key file that cannot be read or is no key is named', () => {
    expect(problems({ ...MERCHANT, ...PUBLIC_KEY, WXPAY_MCH_PRIVATE_KEY_FILE: path.join(dir, 'none.pem') })).toEqual([
      expect.stringMatching(/^WXPAY_MCH_PRIVATE_KEY_FILE: cannot read .*none\.pem \(ENOENT\)$/),
    ]);
    expect(problems({ ...MERCHANT, ...PUBLIC_KEY, WXPAY_PUBLIC_KEY_FILE: write('junk.pem', 'junk') })).toEqual([
      expect.stringMatching(/^WXPAY_PUBLIC_KEY_FILE: .*junk\.pem is not the expected PEM$/),
    ]);
  });

  test('public-key mode and platform certificates at once: either signs, chosen by Wechatpay-Serial; the refund notify URL sits beside the notify URL', () => {
    const cert = platformCertificate();
    const config = load({ ...MERCHANT, ...PUBLIC_KEY, WXPAY_PLATFORM_CERT_FILES: ` ${cert.file} ` })!;
    expect([...config.wechatpayKeys.keys()].sort()).toEqual([cert.serial, PUBLIC_KEY.WXPAY_PUBLIC_KEY_ID].sort());
    expect(config.refundNotifyUrl).toBe('https://api.example.com/api/pay/refund-notify');
    const body = Buffer.from('{"id":"1"}');
    const ts = String(Math.floor(Date.now() / 1000));
    const headers = (serial: string, key: typeof cert.key) => {
      const h: Record<string, string> = {
        'wechatpay-timestamp': ts,
        'wechatpay-nonce': 'n',
        'wechatpay-serial': serial,
        'wechatpay-signature': rsaSign(`${ts}\nn\n${body}\n`, key),
      };
      return (name: string) => h[name];
    };
    expect(() => verifySignature(config.wechatpayKeys, headers(cert.serial.toLowerCase(), cert.key), body)).not.toThrow();
    expect(() => verifySignature(config.wechatpayKeys, headers(`00${cert.serial}`, cert.key), body)).not.toThrow(); // the same integer
    expect(() => verifySignature(config.wechatpayKeys, headers(PUBLIC_KEY.WXPAY_PUBLIC_KEY_ID, wechatpay.privateKey), body)).not.toThrow();
    expect(() => verifySignature(config.wechatpayKeys, headers(PUBLIC_KEY.WXPAY_PUBLIC_KEY_ID, cert.key), body)).toThrow(/bad signature/);
  });

  test("the merchant's own certificate given as WeChat Pay's is refused (the field's most common mistake)", () => {
    const cert = platformCertificate();
    expect(problems({ ...MERCHANT, WXPAY_MCH_SERIAL: cert.serial, WXPAY_PLATFORM_CERT_FILES: cert.file })).toEqual([
      expect.stringMatching(/merchant's own API certificate/),
    ]);
  });
});
