import { LoginRequired } from './guard';
import type { AppContext } from './state';
import { parseBody } from '../platform/body';
import { unauthorized } from '../platform/errors';
import { DecryptBody } from '../schemas';
import { decryptData } from '../wechat/crypto';
import type { SessionKeyCheck } from '../wechat/session-key-check';

/** Server-side help for WeChat's encrypted payloads (e.g. wx.getWeRunData, share info). */
export class WechatController {
  constructor(
    private readonly appid: string,
    private readonly sessionKeys: SessionKeyCheck,
  ) {}

  /**
   * POST /api/wechat/decrypt {encryptedData, iv} → {data}, decrypted with this login's session_key once
   * WeChat says it is still valid (else 409 SESSION_KEY_STALE: log in again, fetch again, retry).
   */
  @LoginRequired()
  async decrypt(ctx: AppContext): Promise<void> {
    const { encryptedData, iv } = parseBody(ctx, DecryptBody);
    const { jwtUser: user, jwtSession: session } = ctx.state;
    const stored = session.sessionKey();
    if (!user || !session.id || !stored) throw unauthorized();
    const sessionKey = await this.sessionKeys.validKey(session.id, user.openid, stored);
    ctx.body = { data: decryptData(sessionKey, encryptedData, iv, this.appid) };
  }
}
