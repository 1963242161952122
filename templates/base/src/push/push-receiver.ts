import { httpError } from '../platform/errors';
import type { PushEvents } from './push-events';
import type { z } from 'zod';
import type { PushQuery } from './push.schemas';
import { PushCrypto, PushCryptoError, pushSignature, signatureMatches } from '../wechat/push-crypto';

export interface PushSettings {
  /** WX_PUSH_TOKEN and WX_PUSH_AES_KEY; push is off while they are unset. */
  token?: string;
  aesKey?: string;
  appid: string;
  events: PushEvents;
  now?: () => number;
}

/** WeChat's pushes are a few hundred bytes; this is far above any, and far below anything harmful. */
export const PUSH_MAX_BYTES = 64 * 1024;
const WINDOW_SECONDS = 5 * 60;

type Query = z.output<typeof PushQuery>;

const badSignature = () => httpError(401, 'BAD_SIGNATURE', 'The push signature does not match.');

function jsonObject(text: string, what: string): Record<string, unknown> {
  if (text.trimStart().startsWith('<')) {
    throw httpError(415, 'PUSH_FORMAT', 'Choose JSON as the data format of 消息推送 in the WeChat console; XML is not accepted.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw httpError(400, 'BAD_PUSH', `The ${what} is not JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw httpError(400, 'BAD_PUSH', `The ${what} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}

/**
 * WeChat message push (消息推送), JSON data format, plain or safe mode: GET verifies the URL, POST
 * delivers a message. Every request is signed with WX_PUSH_TOKEN and carries a timestamp that must be
 * within 5 minutes; anything unsigned, stale, damaged or for another AppID is refused before it is read.
 */
export class PushReceiver {
  private readonly crypto: PushCrypto | null;
  private readonly now: () => number;

  constructor(private readonly s: PushSettings) {
    this.crypto = s.token && s.aesKey ? new PushCrypto(s.aesKey, s.appid) : null;
    this.now = s.now ?? Date.now;
  }

  /** WeChat's URL check: its echostr, only when the signature matches. */
  verify(query: Query): string {
    const { token, timestamp, nonce } = this.signed(query);
    const echostr = query.echostr;
    if (typeof echostr !== 'string' || echostr.length === 0 || echostr.length > 128)
      throw httpError(400, 'BAD_PUSH', 'echostr is missing.');
    if (!signatureMatches(query.signature, pushSignature(token, timestamp, nonce))) throw badSignature();
    return echostr;
  }

  /**
   * A message: checked before its body is read (`body()` reads at most PUSH_MAX_BYTES), then applied once.
   * Resolves once applied (or known to be applied already).
   */
  async receive(query: Query, body: () => Promise<string>): Promise<void> {
    const { token, timestamp, nonce } = this.signed(query);
    let message: Record<string, unknown>;
    if (query.encrypt_type === 'aes') {
      const envelope = jsonObject(await body(), 'push body');
      const encrypt = envelope.Encrypt;
      if (typeof encrypt !== 'string') throw httpError(400, 'BAD_PUSH', 'A safe-mode push must carry "Encrypt".');
      if (!signatureMatches(query.msg_signature, pushSignature(token, timestamp, nonce, encrypt))) throw badSignature();
      let plain: string;
      try {
        plain = this.crypto!.decrypt(encrypt);
      } catch (err) {
        if (err instanceof PushCryptoError && err.reason === 'appid')
          throw httpError(403, 'WRONG_APPID', 'The push was made for another AppID.');
        throw httpError(400, 'BAD_PUSH', 'The push could not be decrypted.');
      }
      message = jsonObject(plain, 'decrypted push');
    } else {
      // Plain mode signs only the query: whoever saw one signed URL could send any body with it for 5 minutes.
      throw httpError(
        400,
        'PUSH_PLAIN_MODE',
        'Choose safe mode (安全模式) for 消息推送 in the WeChat console: a plain-mode body is not signed.',
      );
    }
    await this.s.events.handle(message);
  }

  /** The token, and a timestamp within 5 minutes of ours; push off → 503. */
  private signed(query: Query): { token: string; timestamp: string; nonce: string } {
    if (!this.crypto || !this.s.token) {
      throw httpError(503, 'PUSH_NOT_CONFIGURED', 'Message push is off: set WX_PUSH_TOKEN and WX_PUSH_AES_KEY.');
    }
    const { timestamp, nonce } = query;
    if (typeof timestamp !== 'string' || !/^\d{1,12}$/.test(timestamp) || typeof nonce !== 'string' || !/^[\w-]{1,64}$/.test(nonce)) {
      throw badSignature();
    }
    if (Math.abs(this.now() / 1000 - Number(timestamp)) > WINDOW_SECONDS) {
      throw httpError(401, 'STALE_TIMESTAMP', 'The push timestamp is more than 5 minutes away from our clock.');
    }
    return { token: this.s.token, timestamp, nonce };
  }
}
