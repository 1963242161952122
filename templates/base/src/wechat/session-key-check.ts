import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import { SingleFlight } from '../platform/single-flight';
import type { WechatClient } from './client';

export const sessionKeyStale = () =>
  httpError(
    409,
    'SESSION_KEY_STALE',
    "WeChat no longer accepts this login's session_key: call wx.login(), log in again (sending the current token), fetch the data again and retry.",
  );

/**
 * Asks WeChat (`checksession`) whether the session_key stored with a login is still valid, before it is
 * used to decrypt: a later wx.login replaces it. Each session's key is checked at most once per
 * `intervalMs` on this instance; a refreshed key is a new key, checked afresh.
 */
export class SessionKeyCheck {
  private readonly checked: LRUCache<string, true>;
  private readonly inFlight = new SingleFlight<string, boolean>();

  constructor(
    private readonly wechat: WechatClient,
    private readonly log: Logger,
    intervalMs = 5 * 60_000,
  ) {
    this.checked = new LRUCache({ max: 10_000, ttl: intervalMs });
  }

  /**
   * `sessionKey`, once WeChat has said it is still valid for `openid`: 409 SESSION_KEY_STALE if it is not.
   * `sessionId` names the login, so that each login's key is checked once per interval. If WeChat cannot
   * be asked, the key is used anyway: decryption itself fails on a wrong key.
   */
  async validKey(sessionId: string, openid: string, sessionKey: string): Promise<string> {
    const id = `${sessionId}:${createHash('sha256').update(sessionKey).digest('base64url').slice(0, 16)}`;
    if (this.checked.has(id)) return sessionKey;
    let valid: boolean;
    try {
      valid = await this.inFlight.run(id, () => this.wechat.sessionKeyValid(openid, sessionKey));
    } catch (err) {
      this.log.warn({ err }, 'checksession failed; decrypting without it');
      return sessionKey;
    }
    if (!valid) throw sessionKeyStale();
    this.checked.set(id, true);
    return sessionKey;
  }
}
