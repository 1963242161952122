import type { z } from 'zod';
import { unauthorized } from '../platform/errors';
import { route } from '../platform/route';
import { decryptData } from '../wechat/crypto';
import type { SessionKeyCheck } from '../wechat/session-key-check';
import { DecryptAnswer, DecryptBody } from './auth.schemas';
import { decorated, LoginRequired } from './guard';
import type { AppContext } from './state';

/**
 * Server-side help for WeChat's encrypted payloads (e.g. wx.getWeRunData, share info). A class-based
 * controller, to show the `@LoginRequired()` decorator: its route names it with `decorated(...)`.
 */
export class DecryptController {
  constructor(
    private readonly appid: string,
    private readonly sessionKeys: SessionKeyCheck,
  ) {}

  /**
   * Decrypted with this login's session_key once WeChat says it is still valid (else 409
   * SESSION_KEY_STALE: log in again, fetch again, retry).
   */
  @LoginRequired()
  async decrypt(ctx: AppContext, body: z.output<typeof DecryptBody>): Promise<z.input<typeof DecryptAnswer>> {
    const { jwtUser: user, jwtSession: session } = ctx.state;
    const stored = session.sessionKey();
    if (!user || !session.id || !stored) throw unauthorized();
    const sessionKey = await this.sessionKeys.validKey(session.id, user.openid, stored);
    return { data: decryptData(sessionKey, body.encryptedData, body.iv, this.appid) };
  }
}

/** What the decrypt route needs of the app. */
export interface DecryptServices {
  decrypt: DecryptController;
}

export const decryptRoutes = [
  route({
    method: 'POST',
    path: '/api/wechat/decrypt',
    guard: decorated(LoginRequired, DecryptController.prototype.decrypt),
    summary: "Decrypt a WeChat payload with this login's session_key",
    description:
      'For wx.getWeRunData, wx.getShareInfo, ...: log in first, fetch the data second. DECRYPT_FAILED almost always means a ' +
      'stale session_key: call wx.login(), log in again, fetch the data again and retry.',
    tag: 'wechat',
    body: { json: DecryptBody },
    answers: { 200: { description: 'The decrypted data.', json: DecryptAnswer } },
    errors: { 400: ['DECRYPT_FAILED', 'WATERMARK_MISMATCH'], 409: ['SESSION_KEY_STALE'] },
    handler: (ctx: AppContext, { body }, s: DecryptServices) => s.decrypt.decrypt(ctx, body),
  }),
];
