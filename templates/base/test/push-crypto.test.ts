import { PushCrypto, PushCryptoError, pushSignature, signatureMatches } from '../src/wechat/push-crypto';

/**
 * WeChat's own published WXBizMsgCrypt samples (the Python Sample.py and the Java WXBizMsgCryptTest that
 * Tencent ships with them): real ciphertexts, signatures and keys, not ones made by our own encryptor.
 */
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const SAMPLE = {
  token: 'spamtest',
  appid: 'wx2c2769f8efd9abc2',
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt:
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
};

test("WeChat's sample: its msg_signature matches ours, and its ciphertext decrypts to its message", () => {
  const expected = pushSignature(SAMPLE.token, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt);
  expect(expected).toBe(SAMPLE.msgSignature);
  expect(signatureMatches(SAMPLE.msgSignature, expected)).toBe(true);
  const plain = new PushCrypto(AES_KEY, SAMPLE.appid).decrypt(SAMPLE.encrypt);
  expect(plain).toContain('<Content><![CDATA[abcdteT]]></Content>');
  expect(plain).toContain('<MsgId>6054768590064713728</MsgId>');
});

test("WeChat's Java sample: with its random bytes, our encryptor makes exactly its ciphertext (multi-byte text too)", () => {
  const crypto = new PushCrypto(AES_KEY, 'wxb11529c136998cb6');
  const encrypted = crypto.encrypt('我是中文abcd123', Buffer.from('aaaabbbbccccdddd'));
  expect(encrypted).toBe('jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==');
  expect(crypto.decrypt(encrypted)).toBe('我是中文abcd123');
});

test('round trip with our own encryptor: any JSON message, random prefix each time', () => {
  const crypto = new PushCrypto(AES_KEY, 'wx0123456789abcdef');
  const message = JSON.stringify({ Event: 'wxa_media_check', trace_id: 't-1', pad: 'x'.repeat(1000) });
  const a = crypto.encrypt(message);
  expect(a).not.toBe(crypto.encrypt(message));
  expect(crypto.decrypt(a)).toBe(message);
});

test('another AppID, a damaged ciphertext or a wrong key is refused, never half-read', () => {
  const ours = new PushCrypto(AES_KEY, 'wx0123456789abcdef');
  const theirs = new PushCrypto(AES_KEY, 'wxffffffffffffffff');
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof PushCryptoError ? err.reason : 'other';
    }
    return 'accepted';
  };
  expect(reason(() => ours.decrypt(theirs.encrypt('{}')))).toBe('appid');
  expect(reason(() => new PushCrypto(AES_KEY, SAMPLE.appid).decrypt(SAMPLE.encrypt.slice(0, -8) + 'AAAAAAA='))).toBe('damaged');
  expect(reason(() => ours.decrypt('not base64!'))).toBe('damaged');
  const otherKey = new PushCrypto('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210zyxwvut', 'wx0123456789abcdef');
  expect(reason(() => otherKey.decrypt(ours.encrypt('{}')))).not.toBe('accepted');
});

test('signatures are compared as 40 hex digits only', () => {
  const sig = pushSignature('a', 'b', 'c');
  expect(signatureMatches(sig.toUpperCase(), sig)).toBe(true);
  expect(signatureMatches(sig.slice(0, 39), sig)).toBe(false);
  expect(signatureMatches(undefined, sig)).toBe(false);
  expect(signatureMatches(['x'], sig)).toBe(false);
});
