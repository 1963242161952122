import { createCipheriv, createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import {
  authorization,
  decryptResource,
  jsapiPayment,
  lines,
  rsaSign,
  SignatureError,
  verifySignature,
  type Merchant,
} from '../src/pay/wechatpay-crypto';

const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const wechatpayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant: Merchant = { mchid: '1900000001', serial: '5157F09EFDC096DE15EBE81A47057A7232F1B8E1', privateKey: merchantKeys.privateKey };
const KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const keys = new Map([[KEY_ID, wechatpayKeys.publicKey]]);

/** Headers of an answer signed the way WeChat Pay signs: `timestamp\nnonce\nbody\n`. */
function signed(body: string | Buffer, o: { timestamp?: number; serial?: string; key?: typeof wechatpayKeys.privateKey } = {}) {
  const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(16).toString('hex');
  const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`), Buffer.from(body), Buffer.from('\n')]);
  const signature = rsaSign(message, o.key ?? wechatpayKeys.privateKey);
  const h: Record<string, string> = {
    'wechatpay-timestamp': timestamp,
    'wechatpay-nonce': nonce,
    'wechatpay-signature': signature,
    'wechatpay-serial': o.serial ?? KEY_ID,
  };
  return (name: string) => h[name];
}

const problem = (f: () => void) => {
  try {
    f();
    return 'verified';
  } catch (err) {
    return (err as SignatureError).problem;
  }
};

describe('WeChat Pay v3 crypto', () => {
  test('the Authorization header signs METHOD, path and query, timestamp, nonce and body, each line ended by \\n', () => {
    const body = '{"mchid":"1900000001"}';
    const header = authorization(merchant, 'post', '/v3/pay/transactions/jsapi?x=1', body, '1554208460', 'nonce123');
    const fields = Object.fromEntries([...header.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(header.startsWith('WECHATPAY2-SHA256-RSA2048 ')).toBe(true);
    expect(fields).toMatchObject({ mchid: '1900000001', nonce_str: 'nonce123', timestamp: '1554208460', serial_no: merchant.serial });
    const message = 'POST\n/v3/pay/transactions/jsapi?x=1\n1554208460\nnonce123\n{"mchid":"1900000001"}\n';
    expect(createVerify('RSA-SHA256').update(message).verify(merchantKeys.publicKey, fields.signature, 'base64')).toBe(true);
    // a GET signs an empty body line
    const get = authorization(merchant, 'GET', '/v3/x', '', '1', 'n');
    const sig = /signature="([^"]+)"/.exec(get)![1];
    expect(createVerify('RSA-SHA256').update('GET\n/v3/x\n1\nn\n\n').verify(merchantKeys.publicKey, sig, 'base64')).toBe(true);
  });

  test("wechatpay-axios-plugin's published layouts: the message lines and the Authorization fields", () => {
    // tests/lib/formatter.test.js of wechatpay-axios-plugin: request(1,2,3,4,5) and response(3,2,1)
    expect(lines('1', '2', '3', '4', '5')).toBe('1\n2\n3\n4\n5\n');
    expect(lines('6', '7', '8', '9', '')).toBe('6\n7\n8\n9\n\n');
    expect(lines('3', '2', '1')).toBe('3\n2\n1\n');
  });

  test('paySign is the merchant signature of appId, timeStamp, nonceStr and package, and the object is what wx.requestPayment takes', () => {
    const p = jsapiPayment(
      'wxd678efh567hg6787',
      'wx201410272009395522657a690389285100',
      merchantKeys.privateKey,
      '1414561699',
      '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
    );
    expect(Object.keys(p).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(p).toMatchObject({ timeStamp: '1414561699', package: 'prepay_id=wx201410272009395522657a690389285100', signType: 'RSA' });
    const message = 'wxd678efh567hg6787\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n';
    expect(createVerify('RSA-SHA256').update(message).verify(merchantKeys.publicKey, p.paySign, 'base64')).toBe(true);
    expect(jsapiPayment('wx1', 'p', merchantKeys.privateKey).timeStamp).toMatch(/^\d{10}$/);
  });

  test('a signed answer verifies over its raw bytes, with the key its serial names', () => {
    const raw = Buffer.from('{"prepay_id":"wx1", "amount": 1.0}');
    expect(problem(() => verifySignature(keys, signed(raw), raw))).toBe('verified');
    // the same JSON re-serialised is other bytes: it does not verify
    expect(problem(() => verifySignature(keys, signed(raw), Buffer.from(JSON.stringify(JSON.parse(raw.toString())))))).toBe(
      'bad signature',
    );
  });

  test('forged, tampered, stale, probe and unknown-serial signatures are refused', () => {
    const raw = Buffer.from('{"a":1}');
    const now = Date.now();
    expect(problem(() => verifySignature(keys, signed(raw, { key: merchantKeys.privateKey }), raw))).toBe('bad signature');
    expect(problem(() => verifySignature(keys, signed(raw), Buffer.from('{"a":2}')))).toBe('bad signature');
    expect(problem(() => verifySignature(keys, signed(raw, { timestamp: Math.floor(now / 1000) - 301 }), raw, now))).toBe(
      'stale timestamp',
    );
    expect(problem(() => verifySignature(keys, signed(raw, { timestamp: Math.floor(now / 1000) + 301 }), raw, now))).toBe(
      'stale timestamp',
    );
    expect(problem(() => verifySignature(keys, signed(raw, { timestamp: Math.floor(now / 1000) - 290 }), raw, now))).toBe('verified');
    expect(problem(() => verifySignature(keys, signed(raw, { serial: 'PUB_KEY_ID_OTHER' }), raw))).toBe('unknown serial');
    const probe = signed(raw);
    expect(
      problem(() => verifySignature(keys, (n) => (n === 'wechatpay-signature' ? `WECHATPAY/SIGNTEST/${probe(n)}` : probe(n)), raw)),
    ).toBe('signature probe');
    expect(problem(() => verifySignature(keys, (n) => (n === 'wechatpay-nonce' ? undefined : probe(n)), raw))).toBe('missing headers');
  });

  test('both key kinds at once: a platform certificate serial (any case) and a PUB_KEY_ID_ key', () => {
    const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const both = new Map([
      [KEY_ID, wechatpayKeys.publicKey],
      ['3775B6A45ACD588826D15E583A95F5DDAAAAAAAA', platform.publicKey],
    ]);
    const raw = Buffer.from('{}');
    expect(problem(() => verifySignature(both, signed(raw), raw))).toBe('verified');
    const serial = '3775b6a45acd588826d15e583a95f5ddaaaaaaaa';
    expect(problem(() => verifySignature(both, signed(raw, { key: platform.privateKey, serial }), raw))).toBe('verified');
    // each key verifies only its own serial's signatures
    expect(problem(() => verifySignature(both, signed(raw, { key: platform.privateKey }), raw))).toBe('bad signature');
  });

  test("AEAD_AES_256_GCM resources decrypt; wechatpay-axios-plugin's published vectors too", () => {
    // tests/lib/aes.test.js of wechatpay-axios-plugin (key, iv, aad → ciphertext with its tag)
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const vector = { algorithm: 'AEAD_AES_256_GCM', nonce: '0123456789abcdef' };
    expect(decryptResource(key, { ...vector, ciphertext: 'APoZlYpivU3HjbAiB4CvW1rAFr8J', associated_data: 'world' })).toBe('hello');
    expect(decryptResource(key, { ...vector, ciphertext: 'GvpmmdtYwexXIPhySs9Tlg==', associated_data: '' })).toBe('');
    // our own: the 12-character nonce WeChat Pay uses, a tag that must match, associated data that must match
    const apiv3 = Buffer.from(randomBytes(16).toString('hex'));
    const nonce = 'abcdefghijkl';
    const c = createCipheriv('aes-256-gcm', apiv3, Buffer.from(nonce)).setAAD(Buffer.from('transaction'));
    const ciphertext = Buffer.concat([c.update('{"trade_state":"SUCCESS"}'), c.final(), c.getAuthTag()]).toString('base64');
    const r = { algorithm: 'AEAD_AES_256_GCM', ciphertext, nonce, associated_data: 'transaction' };
    expect(JSON.parse(decryptResource(apiv3, r))).toEqual({ trade_state: 'SUCCESS' });
    expect(() => decryptResource(apiv3, { ...r, associated_data: 'refund' })).toThrow();
    expect(() => decryptResource(Buffer.from(randomBytes(16).toString('hex')), r)).toThrow();
    const flipped = Buffer.from(ciphertext, 'base64');
    flipped[0] ^= 1;
    expect(() => decryptResource(apiv3, { ...r, ciphertext: flipped.toString('base64') })).toThrow();
    expect(() => decryptResource(apiv3, { ...r, algorithm: 'AES_128_CBC' })).toThrow();
  });
});
