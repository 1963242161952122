import type { PrismaClient, User } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failure, httpError } from '../platform/errors';
import { SingleFlight } from '../platform/single-flight';
import { cleanText, publicUser, upsertUser, type Profile } from '../users/users';
import type { WechatClient, WechatSession } from '../wechat/client';
import { decryptData, verifySignature } from '../wechat/crypto';
import type { LoginBody } from './auth.schemas';
import type { JwtAuth } from './jwt-auth';
import type { LoginLimits } from './login-limits';
import type { AppContext } from './state';

export interface LoginsDeps {
  auth: JwtAuth;
  wechat: WechatClient;
  prisma: PrismaClient;
  appid: string;
  limits: LoginLimits;
}

export type LoginResult = { token: string; expiresAt: string; user: ReturnType<typeof publicUser> };

/** WeChat login: a wx.login() code becomes a user and a session on this server. */
export class Logins {
  /** One session per code: a request retried with the same code, while the first runs, gets the same session. */
  private readonly inFlight = new SingleFlight<string, LoginResult>();

  constructor(private readonly d: LoginsDeps) {}

  /**
   * Identity comes from jscode2session only: any openid or session_key in the body is ignored. Each
   * request's own signature and encrypted data are checked, even when it shares a code with another.
   */
  async login(ctx: AppContext, body: LoginBody): Promise<LoginResult> {
    await this.d.limits.checkIp(ctx.ip); // before WeChat is asked (ctx.ip: nginx's last hop only)
    const wx = await this.d.wechat.code2Session(body.code); // concurrent calls with one code share one exchange
    // No await from the shared exchange to the flight: requests that shared the exchange resume one after
    // another in the same turn, so they share the session too, however long the first one's writes take.
    const profile = this.profileFrom(body, wx);
    return this.inFlight.run(body.code, async () => {
      await this.d.limits.checkOpenid(wx.openid); // once per login, however many requests share it
      return this.createLogin(ctx, profile, wx.sessionKey);
    });
  }

  /** Everything is checked before the first write, so a refused login leaves no user and no session. */
  private profileFrom(body: LoginBody, wx: WechatSession): Profile {
    if (body.rawData !== undefined && !verifySignature(body.rawData, body.signature!, wx.sessionKey)) {
      throw httpError(400, 'BAD_SIGNATURE', 'rawData does not match its signature; call wx.login() again and retry.');
    }
    const data = body.encryptedData !== undefined ? decryptData(wx.sessionKey, body.encryptedData, body.iv!, this.d.appid) : {};
    return {
      openid: wx.openid,
      unionid: wx.unionid ?? cleanText(data.unionId, 128),
      nickname: cleanText(data.nickName, 64),
      avatarUrl: cleanText(data.avatarUrl, 1024),
    };
  }

  /** The user and the session, or neither: a store that fails half-way undoes the new user, and answers 503. */
  private async createLogin(ctx: AppContext, profile: Profile, sessionKey: string): Promise<LoginResult> {
    let user: User;
    let created: boolean;
    try {
      ({ user, created } = await upsertUser(this.d.prisma, profile));
    } catch (err) {
      throw failure(databaseUnavailable, err);
    }
    try {
      const { token, expiresAt } = await this.d.auth.jwtLogin(ctx, user, sessionKey, created);
      return { token, expiresAt: expiresAt.toISOString(), user: publicUser(user) };
    } catch (err) {
      if (created) await this.d.prisma.user.delete({ where: { id: user.id } }).catch(() => undefined);
      throw err;
    }
  }
}
