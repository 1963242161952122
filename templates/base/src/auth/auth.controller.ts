import type { PrismaClient, User } from '../generated/prisma/client';
import type { JwtAuth } from './jwt-auth';
import type { LoginLimits } from './login-limits';
import type { AppContext } from './state';
import { parseBody } from '../platform/body';
import { databaseUnavailable, httpError } from '../platform/errors';
import type { PhoneNumbers } from '../users/phone';
import { LoginBody, LogoutAllBody, PhoneBody, SessionIdParam } from '../schemas';
import { SingleFlight } from '../platform/single-flight';
import { cleanText, publicUser, upsertUser, type Profile } from '../users/users';
import type { WechatClient, WechatSession } from '../wechat/client';
import { decryptData, verifySignature } from '../wechat/crypto';

export interface AuthControllerDeps {
  auth: JwtAuth;
  wechat: WechatClient;
  prisma: PrismaClient;
  appid: string;
  phone: PhoneNumbers;
  limits: LoginLimits;
}

type LoginResult = { token: string; expiresAt: string; user: ReturnType<typeof publicUser> };

/** Login, logout, who am I, and the phone number: the WeChat side of authentication. */
export class AuthController {
  /** One session per code: a request retried with the same code, while the first runs, gets the same session. */
  private readonly loginsInFlight = new SingleFlight<string, LoginResult>();

  constructor(private readonly d: AuthControllerDeps) {}

  /**
   * POST /api/auth/login {code, encryptedData?, iv?, rawData?, signature?} → {token, expiresAt, user}.
   * Identity comes from jscode2session only: any openid or session_key in the body is ignored. Each
   * request's own signature and encrypted data are checked, even when it shares a code with another.
   */
  async login(ctx: AppContext): Promise<void> {
    await this.d.limits.checkIp(ctx.ip); // before WeChat is asked (ctx.ip: nginx's last hop only)
    const body = parseBody(ctx, LoginBody);
    const wx = await this.d.wechat.code2Session(body.code); // concurrent calls with one code share one exchange
    await this.d.limits.checkOpenid(wx.openid);
    const profile = this.profileFrom(body, wx);
    ctx.body = await this.loginsInFlight.run(body.code, () => this.createLogin(ctx, profile, wx.sessionKey));
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
    } catch {
      throw databaseUnavailable();
    }
    try {
      const { token, expiresAt } = await this.d.auth.jwtLogin(ctx, user, sessionKey);
      return { token, expiresAt: expiresAt.toISOString(), user: publicUser(user) };
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

  /** GET /api/auth/sessions → {sessions}: the user's logins (devices), the most recently used first. */
  async sessions(ctx: AppContext): Promise<void> {
    ctx.body = { sessions: await this.d.auth.sessions(ctx) };
  }

  /** DELETE /api/auth/sessions/:id → 204; one of the user's own sessions (anyone else's: 404). */
  async endSession(ctx: AppContext): Promise<void> {
    const parsed = SessionIdParam.safeParse(ctx.params.id);
    if (!parsed.success || !(await this.d.auth.endSession(ctx, parsed.data))) {
      throw httpError(404, 'SESSION_NOT_FOUND', 'You have no session with this id.');
    }
    ctx.status = 204;
  }

  /** POST /api/auth/logout-all {keepCurrent?} → {removed}: every session of the user ends (but this one, if kept). */
  async logoutAll(ctx: AppContext): Promise<void> {
    const { keepCurrent } = parseBody(ctx, LogoutAllBody);
    ctx.body = { removed: await this.d.auth.logoutAll(ctx, keepCurrent ?? false) };
  }

  /**
   * POST /api/auth/phone {code, refresh?} → the user's phone number, stored on the user. A number verified
   * within PHONE_REVERIFY_DAYS is returned without asking WeChat (billed per answer) unless `refresh`.
   */
  async phone(ctx: AppContext): Promise<void> {
    const { code, refresh } = parseBody(ctx, PhoneBody);
    const { user, ...info } = await this.d.phone.verify(ctx.state.jwtUser!, code, refresh);
    this.d.auth.forget(ctx.state.jwtSession.id);
    ctx.state.jwtUser = user;
    ctx.body = { ...info, user: publicUser(user) };
  }
}
