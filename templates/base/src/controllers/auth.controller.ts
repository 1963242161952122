import type { PrismaClient } from '../generated/prisma/client';
import type { JwtAuth } from '../auth/jwt-auth';
import type { AppContext } from '../auth/state';
import { HttpError } from '../errors';
import { SingleFlight } from '../single-flight';
import { publicUser, upsertUser } from '../users';
import { jsonBody, pair, requiredCode } from '../validate';
import type { WechatClient } from '../wechat/client';
import { decryptData, verifySignature } from '../wechat/crypto';

export interface AuthControllerDeps {
  auth: JwtAuth;
  wechat: WechatClient;
  prisma: PrismaClient;
  appid: string;
}

type LoginResult = { token: string; expiresAt: Date; user: ReturnType<typeof publicUser> };

/** Login, logout, who am I, and the phone number: the WeChat side of authentication. */
export class AuthController {
  /** One login per code at a time: a retried request with the same code gets the same session. */
  private readonly logins = new SingleFlight<string, LoginResult>();

  constructor(private readonly d: AuthControllerDeps) {}

  /** POST /api/auth/login {code, encryptedData?, iv?, rawData?, signature?} → {token, expiresAt, user} */
  async login(ctx: AppContext): Promise<void> {
    const body = jsonBody(ctx);
    const code = requiredCode(body);
    const encrypted = pair(body, 'encryptedData', 'iv', 65536);
    const signed = pair(body, 'rawData', 'signature', 65536);
    ctx.body = await this.logins.run(code, () => this.loginOnce(ctx, code, encrypted, signed));
  }

  /** Identity comes from jscode2session only: any openid or session_key in the body is ignored. */
  private async loginOnce(ctx: AppContext, code: string, encrypted?: [string, string], signed?: [string, string]): Promise<LoginResult> {
    const wx = await this.d.wechat.code2Session(code);
    if (signed && !verifySignature(signed[0], signed[1], wx.sessionKey)) {
      throw new HttpError(400, 'BAD_SIGNATURE', 'rawData does not match its signature; call wx.login() again and retry.');
    }
    const data = encrypted ? decryptData(wx.sessionKey, encrypted[0], encrypted[1], this.d.appid) : {};
    const text = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 1024 ? v : undefined);
    // Everything is checked before the first write, so a refused login leaves no user and no session.
    const { user, created } = await upsertUser(this.d.prisma, {
      openid: wx.openid,
      unionid: wx.unionid ?? text(data.unionId),
      nickname: text(data.nickName),
      avatarUrl: text(data.avatarUrl),
    });
    try {
      const { token, expiresAt } = await this.d.auth.jwtLogin(ctx, user, wx.sessionKey);
      return { token, expiresAt, user: publicUser(user) };
    } catch (err) {
      if (created) await this.d.prisma.user.delete({ where: { id: user.id } }).catch(() => undefined);
      throw err;
    }
  }

  /** GET /api/auth/me → {user} */
  async me(ctx: AppContext): Promise<void> {
    ctx.body = { user: publicUser(ctx.state.jwtUser!) };
  }

  /** POST /api/auth/logout → 204; the token is dead from now on. */
  async logout(ctx: AppContext): Promise<void> {
    await this.d.auth.jwtLogout(ctx);
    ctx.status = 204;
  }

  /** POST /api/auth/phone {code} → the user's phone number, stored on the user. */
  async phone(ctx: AppContext): Promise<void> {
    const code = requiredCode(jsonBody(ctx));
    const info = await this.d.wechat.phoneNumber(code);
    const user = await this.d.prisma.user.update({ where: { id: ctx.state.jwtUser!.id }, data: { phone: info.phoneNumber } });
    this.d.auth.forget(ctx.state.jwtSession.id);
    ctx.state.jwtUser = user;
    ctx.body = { ...info, user: publicUser(user) };
  }
}
