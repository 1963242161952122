import type { CachedToken, TokenCache } from './access-token';
import { checkSessionSignature } from './crypto';
import { TOKEN_INVALID, badResponse, errcodeOf } from './errors';
import { SingleFlight } from '../platform/single-flight';
import { wechatRequest, type WechatJson } from './http';
import { wechatImage } from './image-answer';

export interface WechatClientOptions {
  appid: string;
  secret: string;
  /** https://api.weixin.qq.com, or a fake in tests and `npm run dev:mock`. */
  baseUrl: string;
  timeoutMs: number;
  tokenCache: TokenCache;
  /**
   * 微信云托管's 开放接口服务: calls go without access_token (the platform adds it) and none is ever
   * fetched; fetching one while the service is on makes calls time out.
   */
  openApiService?: boolean;
  now?: () => number;
}

/** What `jscode2session` tells us. The sessionKey stays on the server. */
export interface WechatSession {
  openid: string;
  sessionKey: string;
  unionid?: string;
}

export interface PhoneInfo {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
/** openid and unionid as WeChat makes them; anything else (a NUL byte, a path) is not WeChat's answer. */
const WX_ID = /^[A-Za-z0-9_-]{1,128}$/;
const SESSION_KEY = /^[A-Za-z0-9+/]{22}==$/;

/** `?access_token=…`, or nothing under 开放接口服务 (null). */
const tokenQuery = (token: string | null) => (token === null ? '' : `?access_token=${encodeURIComponent(token)}`);

/** WeChat's server API, the parts a Mini Program backend needs. */
export class WechatClient {
  private readonly exchanges = new SingleFlight<string, WechatSession>();
  private readonly now: () => number;

  constructor(private readonly o: WechatClientOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Exchanges a `wx.login()` code for the user's openid and session_key. A code is single-use, so
   * concurrent calls with one code share one request (a second call would get 40163).
   */
  code2Session(code: string): Promise<WechatSession> {
    return this.exchanges.run(code, () => this.fetchSession(code));
  }

  private async fetchSession(code: string): Promise<WechatSession> {
    const q = new URLSearchParams({ appid: this.o.appid, secret: this.o.secret, js_code: code, grant_type: 'authorization_code' });
    const json = await wechatRequest(`${this.o.baseUrl}/sns/jscode2session?${q}`, { method: 'GET' }, this.o.timeoutMs);
    // Success has no errcode at all: it is openid and session_key being there.
    const { openid, session_key: sessionKey, unionid } = json;
    if (typeof openid !== 'string' || !WX_ID.test(openid) || typeof sessionKey !== 'string' || !SESSION_KEY.test(sessionKey))
      throw badResponse();
    if (unionid !== undefined && (typeof unionid !== 'string' || !WX_ID.test(unionid))) throw badResponse();
    return { openid, sessionKey, ...(unionid ? { unionid } : {}) };
  }

  /** Drops the cached access token (e.g. after the AppSecret was reset); the next call fetches a new one. */
  async forgetAccessToken(): Promise<void> {
    const cached = await this.o.tokenCache.get();
    if (cached) await this.o.tokenCache.invalidate(cached.token);
  }

  /** A valid access token from the cache, or a fresh one via `stable_token` (one fetch in flight). */
  async accessToken(): Promise<string> {
    if (this.o.openApiService) throw new Error('开放接口服务 is on (WX_OPENAPI_SERVICE): this app fetches no access token');
    const cached = await this.o.tokenCache.get();
    if (cached) return cached.token;
    return (await this.o.tokenCache.refresh(null, () => this.fetchStableToken(false))).token;
  }

  /**
   * A token other than `rejected`, which WeChat just refused (40001, 40014, 42001). If another caller or
   * instance has replaced it already, that one; else stable_token, and only if WeChat still hands out
   * the refused token, one forced refresh (WeChat allows 20 a day, 30 s apart).
   */
  private async renewAccessToken(rejected: string): Promise<string> {
    const fresh = await this.o.tokenCache.refresh(rejected, async () => {
      const normal = await this.fetchStableToken(false);
      return normal.token === rejected ? this.fetchStableToken(true) : normal;
    });
    return fresh.token;
  }

  private async fetchStableToken(forceRefresh: boolean): Promise<CachedToken> {
    const json = await wechatRequest(
      `${this.o.baseUrl}/cgi-bin/stable_token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'client_credential', appid: this.o.appid, secret: this.o.secret, force_refresh: forceRefresh }),
        idempotent: !forceRefresh, // the same token again; a forced refresh uses up a daily quota
      },
      this.o.timeoutMs,
    );
    if (!str(json.access_token) || typeof json.expires_in !== 'number') throw badResponse();
    // stable_token hands out a new token in the last 5 minutes; stop using ours before then.
    return { token: json.access_token, expiresAt: this.now() + Math.max(json.expires_in - 300, 30) * 1000 };
  }

  /**
   * Calls WeChat with the access token; if WeChat says it is invalid, gets another (see
   * renewAccessToken) and retries once: a second refusal is the caller's error, never a loop. With
   * 开放接口服务 the call goes with no token (null) and none is fetched.
   */
  async withAccessToken<T>(call: (token: string | null) => Promise<T>): Promise<T> {
    if (this.o.openApiService) return call(null);
    const token = await this.accessToken();
    try {
      return await call(token);
    } catch (err) {
      if (!TOKEN_INVALID.has(errcodeOf(err) ?? 0)) throw err;
      return call(await this.renewAccessToken(token));
    }
  }

  /** POST `path` with a JSON body and the access token (refreshed once if WeChat says it is stale). */
  post(path: string, body: Record<string, unknown>): Promise<WechatJson> {
    return this.withAccessToken((token) =>
      wechatRequest(
        `${this.o.baseUrl}${path}${tokenQuery(token)}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        this.o.timeoutMs,
      ),
    );
  }

  /** POST `path` with a JSON body and the access token, for an API that answers with an image. */
  postForImage(path: string, body: Record<string, unknown>): Promise<Buffer> {
    return this.withAccessToken((token) =>
      wechatImage(
        `${this.o.baseUrl}${path}${tokenQuery(token)}`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
        this.o.timeoutMs,
      ),
    );
  }

  /**
   * The user's phone number from a `getPhoneNumber` button code (the code goes in the JSON body). With
   * `openid`, WeChat also checks that the code was issued to that user.
   */
  async phoneNumber(code: string, openid?: string): Promise<PhoneInfo> {
    const json = await this.post('/wxa/business/getuserphonenumber', openid ? { code, openid } : { code });
    const info = json.phone_info as Record<string, unknown> | undefined;
    // Stored on the user, so only what a phone number looks like: digits, maybe a leading +.
    if (!info || typeof info.phoneNumber !== 'string' || !/^\+?\d{3,20}$/.test(info.phoneNumber)) throw badResponse();
    return {
      phoneNumber: info.phoneNumber,
      purePhoneNumber: str(info.purePhoneNumber) ? info.purePhoneNumber : info.phoneNumber,
      countryCode: str(info.countryCode) ? info.countryCode : '',
    };
  }

  /** Whether WeChat still accepts this session_key (`checksession`; errcode 87009 means it does not). */
  async sessionKeyValid(openid: string, sessionKey: string): Promise<boolean> {
    const signature = checkSessionSignature(sessionKey);
    try {
      await this.withAccessToken((token) => {
        const q = new URLSearchParams({ ...(token === null ? {} : { access_token: token }), openid, signature, sig_method: 'hmac_sha256' });
        return wechatRequest(`${this.o.baseUrl}/wxa/checksession?${q}`, { method: 'GET' }, this.o.timeoutMs);
      });
      return true;
    } catch (err) {
      if (errcodeOf(err) === 87009) return false;
      throw err;
    }
  }
}
