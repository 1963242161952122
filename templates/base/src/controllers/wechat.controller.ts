import { LoginRequired } from '../auth/guard';
import type { AppContext } from '../auth/state';
import { parseBody } from '../body';
import { unauthorized } from '../errors';
import { DecryptBody } from '../schemas';
import { decryptData } from '../wechat/crypto';

/** Server-side help for WeChat's encrypted payloads (e.g. wx.getWeRunData, share info). */
export class WechatController {
  constructor(private readonly appid: string) {}

  /** POST /api/wechat/decrypt {encryptedData, iv} → {data}, decrypted with this login's session_key. */
  @LoginRequired()
  async decrypt(ctx: AppContext): Promise<void> {
    const { encryptedData, iv } = parseBody(ctx, DecryptBody);
    const sessionKey = ctx.state.jwtSession.sessionKey();
    if (!sessionKey) throw unauthorized();
    ctx.body = { data: decryptData(sessionKey, encryptedData, iv, this.appid) };
  }
}
