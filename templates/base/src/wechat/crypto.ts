import { createDecipheriv, createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { httpError } from '../platform/errors';

/** Decryption failed: almost always a stale session_key, so the client should log in again and retry. */
export const decryptFailed = (why: string) =>
  httpError(400, 'DECRYPT_FAILED', `Could not decrypt the data (${why}); call wx.login(), log in again, then fetch the data and retry.`);

function base64(value: string, what: string, bytes?: number): Buffer {
  // `+` turned into a space by form encoding is the classic cause of failures: refuse, don't guess.
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) throw decryptFailed(`${what} is not base64`);
  const buf = Buffer.from(value, 'base64');
  if (bytes !== undefined && buf.length !== bytes) throw decryptFailed(`${what} must be ${bytes} bytes`);
  return buf;
}

/**
 * Decrypts `encryptedData` from the Mini Program (AES-128-CBC, PKCS#7, all base64) with the user's
 * session_key, and checks that its watermark names our AppID.
 */
export function decryptData(sessionKey: string, encryptedData: string, iv: string, appid: string): Record<string, unknown> {
  const key = base64(sessionKey, 'session_key', 16);
  const ivBuf = base64(iv, 'iv', 16);
  const data = base64(encryptedData, 'encryptedData');
  if (data.length === 0 || data.length % 16 !== 0) throw decryptFailed('encryptedData has the wrong length');
  let text: string;
  try {
    const decipher = createDecipheriv('aes-128-cbc', key, ivBuf);
    text = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw decryptFailed('wrong key or damaged data');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw decryptFailed('wrong key or damaged data');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw decryptFailed('not an object');
  const watermark = (parsed as { watermark?: { appid?: unknown } }).watermark;
  if (watermark?.appid !== appid) throw httpError(400, 'WATERMARK_MISMATCH', 'The data was made for another Mini Program.');
  return parsed as Record<string, unknown>;
}

/** `signature === sha1(rawData + session_key)`, compared in constant time. */
export function verifySignature(rawData: string, signature: string, sessionKey: string): boolean {
  const expected = createHash('sha1')
    .update(rawData + sessionKey)
    .digest();
  const given = /^[0-9a-f]{40}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `checksession`'s signature: hmac_sha256 keyed by the session_key's base64 text, over the empty string. */
export function checkSessionSignature(sessionKey: string): string {
  return createHmac('sha256', sessionKey).update('').digest('hex');
}
