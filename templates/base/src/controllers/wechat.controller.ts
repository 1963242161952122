import { LoginRequired } from '../auth/guard';
import type { AppContext } from '../auth/state';
import { badRequest, unauthorized } from '../errors';
import { jsonBody, pair } from '../validate';
import { decryptData } from '../wechat/crypto';

/** Server-side help for WeChat's encrypted payloads (e.g. wx.getWeRunData, share info). */
export class WechatController {
  constructor(private readonly appid: string) {}

  /** POST /api/wechat/decrypt {encryptedData, iv} → {data}, decrypted with this login's session_key. */
  @LoginRequired()
  async decrypt(ctx: AppContext): Promise<void> {
    const fields = pair(jsonBody(ctx), 'encryptedData', 'iv', 65536);
    if (!fields) throw badRequest('Send "encryptedData" and "iv" from the Mini Program API.');
    const sessionKey = ctx.state.jwtSession.sessionKey();
    if (!sessionKey) throw unauthorized();
    ctx.body = { data: decryptData(sessionKey, fields[0], fields[1], this.appid) };
  }
}
