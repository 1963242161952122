import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * WeChat message push (消息推送) signatures and safe-mode encryption, as WeChat's own WXBizMsgCrypt
 * samples do it: AES-256-CBC with key = base64(EncodingAESKey + "="), IV = the key's first 16 bytes,
 * PKCS#7 padding to 32-byte blocks, plaintext = 16 random bytes + 4-byte big-endian length + message + AppID.
 */

const BLOCK = 32;

/** sha1 of the parts sorted and joined: `signature` (token, timestamp, nonce) and `msg_signature` (+ Encrypt). */
export function pushSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

/** `given === expected` for hex signatures, in constant time (anything not 40 hex digits is false). */
export function signatureMatches(given: unknown, expected: string): boolean {
  if (typeof given !== 'string' || !/^[0-9a-f]{40}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'));
}

/** Why a safe-mode message was refused; the caller answers without processing it. */
export class PushCryptoError extends Error {
  constructor(readonly reason: 'damaged' | 'appid') {
    super(reason === 'appid' ? 'the message was encrypted for another AppID' : 'the message could not be decrypted');
  }
}

export class PushCrypto {
  private readonly key: Buffer;

  /** `aesKey`: the 43-character EncodingAESKey from the WeChat console. */
  constructor(
    aesKey: string,
    private readonly appid: string,
  ) {
    if (!/^[A-Za-z0-9]{43}$/.test(aesKey)) throw new Error('EncodingAESKey must be 43 letters or digits');
    this.key = Buffer.from(`${aesKey}=`, 'base64');
    if (this.key.length !== 32) throw new Error('EncodingAESKey must decode to 32 bytes');
  }

  /** The message inside `Encrypt`; throws PushCryptoError if it is damaged or not for our AppID. */
  decrypt(encrypt: string): string {
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encrypt)) throw new PushCryptoError('damaged');
    const data = Buffer.from(encrypt, 'base64');
    if (data.length === 0 || data.length % 16 !== 0) throw new PushCryptoError('damaged');
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
      decipher.setAutoPadding(false); // PKCS#7 to 32-byte blocks: not what OpenSSL's 16-byte check expects
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch {
      throw new PushCryptoError('damaged');
    }
    const pad = plain[plain.length - 1];
    if (pad < 1 || pad > BLOCK || plain.subarray(plain.length - pad).some((b) => b !== pad)) throw new PushCryptoError('damaged');
    const body = plain.subarray(0, plain.length - pad);
    if (body.length < 20) throw new PushCryptoError('damaged');
    const length = body.readUInt32BE(16);
    if (20 + length > body.length) throw new PushCryptoError('damaged');
    const appid = body.subarray(20 + length);
    const expected = Buffer.from(this.appid);
    if (appid.length !== expected.length || !timingSafeEqual(appid, expected)) throw new PushCryptoError('appid');
    return body.subarray(20, 20 + length).toString('utf8');
  }

  /** `message` encrypted as WeChat does it (what the fake WeChat sends; `random` only for test vectors). */
  encrypt(message: string, random: Buffer = randomBytes(16)): string {
    const text = Buffer.from(message, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(text.length);
    const plain = Buffer.concat([random, length, text, Buffer.from(this.appid)]);
    const pad = BLOCK - (plain.length % BLOCK);
    const cipher = createCipheriv('aes-256-cbc', this.key, this.key.subarray(0, 16));
    cipher.setAutoPadding(false);
    return Buffer.concat([cipher.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64');
  }
}
