import { createCipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PushCrypto } from '../src/wechat/push-crypto';

/** What jscode2session answers for a code. */
export interface FakeUser {
  openid: string;
  session_key: string;
  unionid?: string;
}

/**
 * How a code misbehaves: a WeChat errcode, an HTML error page, no answer at all, or an answer that never
 * ends (`endless`: JSON-looking bytes, 16 KB at a time, with no Content-Length, until the client gives up).
 */
export type Failure = { errcode: number } | 'html' | 'hang' | 'endless';

export interface FakeWechatOptions {
  appid: string;
  secret: string;
  /** dev:mock: any unknown code logs in user `o_mock_<code>`, and codes may be reused. */
  anyCode?: boolean;
  /** Stands for 微信云托管's 开放接口服务 too: a call with no access_token is the platform's, and answered. */
  openApiService?: boolean;
}

/** WeChat's content security verdicts (msgSecCheck / mediaCheckAsync v2). */
export type Suggest = 'pass' | 'review' | 'risky';

/** Where the fake delivers message pushes: the app's 消息推送 URL and the console's Token and EncodingAESKey. */
export interface PushTarget {
  url: string;
  token: string;
  aesKey: string;
  /** Delivers each verdict this long after mediaCheckAsync (dev:mock); unset: only when `deliverPushes()` is called (tests). */
  autoDelayMs?: number;
}

/** A message push the fake sent: what the app answered. */
export interface PushDelivery {
  traceId: string;
  status: number;
  body: string;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * A fake of WeChat's server API on loopback: jscode2session, stable_token, getuserphonenumber,
 * checksession, msg_sec_check and media_check_async (whose verdict it then pushes to the app, signed and
 * encrypted like WeChat's 消息推送), with WeChat's own error answers. `npm run dev:mock` serves it (any code logs in);
 * tests register codes and count calls.
 */
export class FakeWechat {
  readonly calls = {
    jscode2session: 0,
    stableToken: 0,
    stableTokenForced: 0,
    phone: 0,
    checkSession: 0,
    msgSecCheck: 0,
    mediaCheck: 0,
    subscribeSend: 0,
    wxacode: 0,
    urllink: 0,
  };
  /** Subscribe messages WeChat delivered, as it received them. */
  readonly subscribeMessages: Record<string, unknown>[] = [];
  /** The Mini Program's released pages: getwxacodeunlimit (check_path) and generate_urllink know only these. */
  readonly pages = new Set(['pages/index/index', 'pages/profile/profile']);
  /** What getwxacodeunlimit answers with on success: a PNG, or (`garbage`) bytes that are no image. */
  codeAnswer: 'png' | 'garbage' = 'png';
  /** URL links handed out, with when each stops working (ms since the epoch). */
  readonly urlLinks = new Map<string, number>();
  /** Sends each user has consented to, per template (`openid template_id`): what 43101 is about. */
  private readonly consents = new Map<string, number>();
  /** The current access token is expired (42001) until a forced stable_token refresh. */
  private accessTokenExpired = false;
  private lastForcedRefresh = 0;
  /** Every request body msg_sec_check and media_check_async received, as WeChat would see it. */
  readonly secChecks: Record<string, unknown>[] = [];
  /** The verdict msg_sec_check gives a text (default pass), and media_check_async gives the next images (default pass). */
  readonly textVerdicts = new Map<string, Suggest>();
  readonly mediaVerdicts: Suggest[] = [];
  /** Openids that have not opened the Mini Program within 2 hours: content checks answer 61010. */
  readonly inactive = new Set<string>();
  /** getuserphonenumber answers 1400001 (the quota is used up). */
  phoneQuotaExhausted = false;
  pushTarget: PushTarget | undefined;
  private readonly queuedPushes: { traceId: string; message: Record<string, unknown> }[] = [];
  private readonly apiFailures = new Map<string, Failure>();
  /** The newest session_key issued per openid: a later wx.login replaces the earlier one. */
  private readonly sessionKeys = new Map<string, string>();
  private readonly phoneOwners = new Map<string, string>();
  private readonly usedPhoneCodes = new Set<string>();
  url = '';
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly codes = new Map<string, FakeUser | Failure>();
  private readonly used = new Set<string>();
  private readonly phones = new Map<string, string>();
  private readonly hanging = new Set<http.ServerResponse>();
  private readonly slow = new Map<string, number>();
  private accessToken = `fake-token-${randomBytes(8).toString('hex')}`;

  constructor(readonly o: FakeWechatOptions) {}

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Registers a fresh `wx.login()` code for a user (a new one unless given) and returns both. */
  newLogin(user: Partial<FakeUser> = {}): { code: string; user: FakeUser } {
    const code = `code_${randomBytes(12).toString('hex')}`;
    const full: FakeUser = { openid: `o_${randomBytes(10).toString('hex')}`, session_key: randomBytes(16).toString('base64'), ...user };
    this.codes.set(code, full);
    return { code, user: full };
  }

  /** WeChat answers `code` only after `ms`: two requests with one code are then surely both in flight. */
  slowCode(code: string, ms: number): void {
    this.slow.set(code, ms);
  }

  /** Makes `code` fail the way WeChat can. */
  failCode(code: string, failure: Failure): void {
    this.codes.set(code, failure);
  }

  /** Registers a getPhoneNumber code; with `openid`, the code belongs to that user (WeChat checks it when given an openid). */
  newPhoneCode(phoneNumber: string, openid?: string): string {
    const code = `phone_${randomBytes(8).toString('hex')}`;
    this.phones.set(code, phoneNumber);
    if (openid) this.phoneOwners.set(code, openid);
    return code;
  }

  /** Makes one API path (e.g. `/wxa/msg_sec_check`) fail the way WeChat can, until `failApi(path, null)`. */
  failApi(pathname: string, failure: Failure | null): void {
    if (failure) this.apiFailures.set(pathname, failure);
    else this.apiFailures.delete(pathname);
  }

  /**
   * Sends the queued mediaCheckAsync verdicts to the push target as WeChat does: POST, JSON in safe mode,
   * signed, with a fresh timestamp and nonce. Returns what the app answered to each.
   */
  async deliverPushes(): Promise<PushDelivery[]> {
    const queued = this.queuedPushes.splice(0);
    const answers: PushDelivery[] = [];
    for (const { traceId, message } of queued) answers.push({ traceId, ...(await this.push(message)) });
    return answers;
  }

  /** POSTs one message to the push target, encrypted and signed (safe mode, JSON data format). */
  async push(message: Record<string, unknown>, o: { timestamp?: number; appid?: string } = {}): Promise<{ status: number; body: string }> {
    const target = this.pushTarget;
    if (!target) throw new Error('fake WeChat: no push target (set fake.pushTarget)');
    const timestamp = String(o.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e10));
    const encrypt = new PushCrypto(target.aesKey, o.appid ?? this.o.appid).encrypt(JSON.stringify(message));
    const sign = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
    const q = new URLSearchParams({
      signature: sign(target.token, timestamp, nonce),
      timestamp,
      nonce,
      openid: String(message.FromUserName ?? ''),
      encrypt_type: 'aes',
      msg_signature: sign(target.token, timestamp, nonce, encrypt),
    });
    const res = await fetch(`${target.url}?${q}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ToUserName: 'gh_fake000000000', Encrypt: encrypt }),
    });
    return { status: res.status, body: await res.text() };
  }

  /** The wxa_media_check event as WeChat's message push carries it (content security v2). */
  mediaCheckEvent(traceId: string, openid: string, suggest: Suggest): Record<string, unknown> {
    const label = suggest === 'pass' ? 100 : 20002;
    return {
      ToUserName: 'gh_fake000000000',
      FromUserName: openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: this.o.appid,
      trace_id: traceId,
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest, label, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
    };
  }

  /** WeChat issues a new access token: the old one now gets 40001. */
  rotateAccessToken(): void {
    this.accessToken = `fake-token-${randomBytes(8).toString('hex')}`;
  }

  /** What the Mini Program's APIs hand out: `data` encrypted with the user's session_key. */
  static encrypt(sessionKey: string, data: unknown): { encryptedData: string; iv: string } {
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(sessionKey, 'base64'), iv);
    const encryptedData = Buffer.concat([cipher.update(JSON.stringify(data)), cipher.final()]).toString('base64');
    return { encryptedData, iv: iv.toString('base64') };
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      const failure = this.apiFailures.get(url.pathname);
      if (failure === 'hang') return void this.hanging.add(res);
      if (failure === 'endless') return this.endless(res);
      if (failure === 'html')
        return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
      if (failure) return json(res, 200, { errcode: failure.errcode, errmsg: 'fake error' });
      switch (url.pathname) {
        case '/sns/jscode2session':
          return this.jscode2session(url.searchParams, res);
        case '/cgi-bin/stable_token':
          return this.stableToken(body, res);
        case '/wxa/business/getuserphonenumber':
          return this.phone(url.searchParams, body, res);
        case '/wxa/checksession':
          return this.checkSession(url.searchParams, res);
        case '/wxa/msg_sec_check':
          return this.msgSecCheck(url.searchParams, body, res);
        case '/wxa/media_check_async':
          return this.mediaCheckAsync(url.searchParams, body, res);
        case '/cgi-bin/message/subscribe/send':
          return this.subscribeSend(url.searchParams, body, res);
        case '/wxa/getwxacodeunlimit':
          return this.wxacode(url.searchParams, body, res);
        case '/wxa/generate_urllink':
          return this.urllink(url.searchParams, body, res);
        default:
          return json(res, 404, { errcode: 404, errmsg: 'not found' });
      }
    });
  }

  private credentialsOk(appid: unknown, secret: unknown, res: http.ServerResponse): boolean {
    if (appid !== this.o.appid) json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    else if (secret !== this.o.secret) json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    else return true;
    return false;
  }

  /** Streams bytes until the client closes the connection (or the fake stops). */
  private endless(res: http.ServerResponse): void {
    this.hanging.add(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"openid":"');
    const chunk = 'a'.repeat(16 * 1024);
    const more = () => {
      if (res.destroyed) return;
      if (res.write(chunk)) setImmediate(more);
      else res.once('drain', more);
    };
    more();
  }

  private jscode2session(q: URLSearchParams, res: http.ServerResponse): void {
    this.calls.jscode2session++;
    const delay = this.slow.get(q.get('js_code') ?? '');
    if (delay === undefined) return this.answerCode(q, res);
    this.hanging.add(res); // stop() ends it if the test is over first
    setTimeout(() => {
      this.hanging.delete(res);
      if (!res.destroyed) this.answerCode(q, res);
    }, delay);
  }

  private answerCode(q: URLSearchParams, res: http.ServerResponse): void {
    if (!this.credentialsOk(q.get('appid'), q.get('secret'), res)) return;
    const code = q.get('js_code') ?? '';
    let entry = this.codes.get(code);
    if (!entry && this.o.anyCode) entry = { openid: `o_mock_${code}`, session_key: randomBytes(16).toString('base64') };
    if (entry === 'hang') return void this.hanging.add(res);
    if (entry === 'endless') return this.endless(res);
    if (entry === 'html') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
    if (!entry) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    if ('errcode' in entry) return json(res, 200, { errcode: entry.errcode, errmsg: 'fake error' });
    if (this.used.has(code)) return json(res, 200, { errcode: 40163, errmsg: 'code been used' });
    if (!this.o.anyCode) this.used.add(code);
    this.sessionKeys.set(entry.openid, entry.session_key); // the newest key is the valid one
    json(res, 200, entry); // success has no errcode at all, as with WeChat
  }

  private stableToken(body: string, res: http.ServerResponse): void {
    this.calls.stableToken++;
    const b = JSON.parse(body || '{}') as Record<string, unknown>;
    if (b.grant_type !== 'client_credential') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    if (!this.credentialsOk(b.appid, b.secret, res)) return;
    if (b.force_refresh === true) this.forceRefresh();
    json(res, 200, { access_token: this.accessToken, expires_in: 7200 });
  }

  private tokenOk(q: URLSearchParams, res: http.ServerResponse): boolean {
    const token = q.get('access_token');
    if (token === null && this.o.openApiService) return true;
    if (token === this.accessToken && !this.accessTokenExpired) return true;
    if (token === this.accessToken) json(res, 200, { errcode: 42001, errmsg: 'access_token expired' });
    else json(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    return false;
  }

  private phone(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.phone++;
    if (!this.tokenOk(q, res)) return;
    const { code = '', openid } = JSON.parse(body || '{}') as { code?: string; openid?: string };
    if (this.phoneQuotaExhausted) return json(res, 200, { errcode: 1400001, errmsg: 'appid no enough quota' });
    const phone = this.phones.get(code) ?? (this.o.anyCode ? '13800138000' : undefined);
    if (!phone || this.usedPhoneCodes.has(code)) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    // with an openid, the code must have been issued to that user
    const owner = this.phoneOwners.get(code);
    if (openid !== undefined && owner !== undefined && owner !== openid) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    if (!this.o.anyCode) this.usedPhoneCodes.add(code);
    json(res, 200, {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: phone,
        purePhoneNumber: phone,
        countryCode: '86',
        watermark: { timestamp: Date.now(), appid: this.o.appid },
      },
    });
  }

  /** GET /wxa/checksession?access_token&openid&signature&sig_method=hmac_sha256: only the newest key is valid. */
  private checkSession(q: URLSearchParams, res: http.ServerResponse): void {
    this.calls.checkSession++;
    if (!this.tokenOk(q, res)) return;
    if (q.get('sig_method') !== 'hmac_sha256') return json(res, 200, { errcode: 40097, errmsg: 'invalid args' });
    const key = this.sessionKeys.get(q.get('openid') ?? '');
    const expected = key && createHmac('sha256', key).update('').digest('hex');
    json(
      res,
      200,
      expected && expected === q.get('signature') ? { errcode: 0, errmsg: 'ok' } : { errcode: 87009, errmsg: 'invalid signature' },
    );
  }

  /** The checks msg_sec_check and media_check_async share: token, v2, a profile scene, an active openid. */
  private secCheckOk(q: URLSearchParams, b: Record<string, unknown>, res: http.ServerResponse): boolean {
    if (!this.tokenOk(q, res)) return false;
    this.secChecks.push(b);
    if (b.version !== 2 || typeof b.scene !== 'number' || ![1, 2, 3, 4].includes(b.scene) || typeof b.openid !== 'string') {
      json(res, 200, { errcode: 40003, errmsg: 'invalid openid or args' });
      return false;
    }
    // WeChat knows only openids that opened the Mini Program lately (here: logged in, and not marked inactive)
    if (this.inactive.has(b.openid) || (!this.o.anyCode && !this.sessionKeys.has(b.openid))) {
      json(res, 200, { errcode: 61010, errmsg: 'code is expired' });
      return false;
    }
    return true;
  }

  private msgSecCheck(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.msgSecCheck++;
    const b = JSON.parse(body || '{}') as Record<string, unknown>;
    if (!this.secCheckOk(q, b, res)) return;
    if (typeof b.content !== 'string' || b.content.length === 0) return json(res, 200, { errcode: 40003, errmsg: 'invalid args' });
    const suggest = this.textVerdicts.get(b.content) ?? 'pass';
    const label = suggest === 'pass' ? 100 : 20001;
    json(res, 200, {
      errcode: 0,
      errmsg: 'ok',
      detail: [
        { strategy: 'content_model', errcode: 0, suggest, label, prob: 90 },
        { strategy: 'keyword', errcode: 0 },
      ],
      trace_id: `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`,
      result: { suggest, label },
    });
  }

  private mediaCheckAsync(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.mediaCheck++;
    const b = JSON.parse(body || '{}') as Record<string, unknown>;
    if (!this.secCheckOk(q, b, res)) return;
    if (typeof b.media_url !== 'string' || !/^https?:\/\//.test(b.media_url) || b.media_type !== 2) {
      return json(res, 200, { errcode: 40003, errmsg: 'invalid args' });
    }
    const traceId = `${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}-${randomBytes(4).toString('hex')}`;
    const message = this.mediaCheckEvent(traceId, b.openid as string, this.mediaVerdicts.shift() ?? 'pass');
    json(res, 200, { errcode: 0, errmsg: 'ok', trace_id: traceId });
    const delay = this.pushTarget?.autoDelayMs;
    if (delay === undefined) this.queuedPushes.push({ traceId, message });
    else setTimeout(() => void this.push(message).catch(() => undefined), delay).unref();
  }

  // ── access token switches ─────────────────────────────────────────────────────────────────────────

  /**
   * The current access token now answers 42001, while stable_token's normal mode still hands it out
   * (it is within its 2 hours as far as that endpoint knows): only `force_refresh: true` replaces it.
   */
  expireAccessToken(): void {
    this.accessTokenExpired = true;
  }

  /** stable_token's forced mode: a new token, the old one dead at once; at most one per 30 s (as WeChat). */
  private forceRefresh(): void {
    this.calls.stableTokenForced++;
    if (Date.now() - this.lastForcedRefresh < 30_000) return;
    this.lastForcedRefresh = Date.now();
    this.rotateAccessToken();
    this.accessTokenExpired = false;
  }

  // ── subscribe messages ────────────────────────────────────────────────────────────────────────────

  /** The user tapped "allow" for `templateId` in wx.requestSubscribeMessage: one send is allowed. */
  acceptSubscription(openid: string, templateId: string): void {
    const key = `${openid} ${templateId}`;
    this.consents.set(key, (this.consents.get(key) ?? 0) + 1);
  }

  /** POST /cgi-bin/message/subscribe/send: 43101 without an unused consent, 47003 naming a bad value. */
  private subscribeSend(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.subscribeSend++;
    if (!this.tokenOk(q, res)) return;
    const b = JSON.parse(body || '{}') as { touser?: unknown; template_id?: unknown; data?: Record<string, { value?: unknown }> };
    if (typeof b.touser !== 'string' || !b.touser) return json(res, 200, { errcode: 40003, errmsg: 'invalid openid' });
    if (typeof b.template_id !== 'string' || !b.template_id) return json(res, 200, { errcode: 40037, errmsg: 'invalid template id' });
    for (const [field, entry] of Object.entries(b.data ?? {})) {
      const problem = fakeValueProblem(field, entry?.value);
      if (problem) return json(res, 200, { errcode: 47003, errmsg: `argument invalid! data.${field}.value ${problem}` });
    }
    // dev:mock has no phone's WeChat to see the user's consent: every send is allowed there
    const key = `${b.touser} ${b.template_id}`;
    const left = this.o.anyCode ? 1 : (this.consents.get(key) ?? 0);
    if (left < 1) return json(res, 200, { errcode: 43101, errmsg: 'user refuse to accept the msg' });
    this.consents.set(key, left - 1);
    this.subscribeMessages.push(b);
    json(res, 200, { errcode: 0, errmsg: 'ok', msgid: Date.now() });
  }

  // ── Mini Program codes and URL links ──────────────────────────────────────────────────────────────

  /** Whether the released Mini Program has `page` (dev:mock: any page it is asked about). */
  private knowsPage(page: string): boolean {
    return this.pages.has(page) || (this.o.anyCode === true && /^[\w-]+(\/[\w-]+)*$/.test(page));
  }

  /** POST /wxa/getwxacodeunlimit: image bytes, or JSON for a bad scene (40169) or page (41030). */
  private wxacode(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.wxacode++;
    if (!this.tokenOk(q, res)) return;
    const b = JSON.parse(body || '{}') as { scene?: unknown; page?: unknown; check_path?: unknown };
    if (typeof b.scene !== 'string' || !/^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/.test(b.scene))
      return json(res, 200, { errcode: 40169, errmsg: 'invalid length for scene, or the data is not json string' });
    const page = typeof b.page === 'string' ? b.page : '';
    if (page.startsWith('/') || page.includes('?') || (b.check_path !== false && page && !this.knowsPage(page)))
      return json(res, 200, { errcode: 41030, errmsg: 'invalid page' });
    const bytes = this.codeAnswer === 'png' ? TINY_PNG : Buffer.from('<html>not an image</html>');
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length }).end(bytes);
  }

  /** POST /wxa/generate_urllink: a link that works until its expiry (at most 30 days). */
  private urllink(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.urllink++;
    if (!this.tokenOk(q, res)) return;
    const b = JSON.parse(body || '{}') as { path?: unknown; query?: unknown; expire_type?: unknown; expire_interval?: unknown };
    if (typeof b.path !== 'string' || !this.knowsPage(b.path)) return json(res, 200, { errcode: 40165, errmsg: 'invalid weapp pagepath' });
    if (typeof b.query !== 'string' || b.query.length > 1024) return json(res, 200, { errcode: 40212, errmsg: 'invalid query' });
    const days = b.expire_interval;
    if (b.expire_type !== 1 || typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 30)
      return json(res, 200, { errcode: 85402, errmsg: 'invalid expire_interval' });
    const url = `https://wxaurl.cn/${randomBytes(6).toString('hex')}`;
    this.urlLinks.set(url, Date.now() + days * 24 * 3600 * 1000);
    json(res, 200, { errcode: 0, errmsg: 'ok', url_link: url });
  }
}

/** A 1×1 transparent PNG: what a Mini Program code looks like to code that checks the bytes. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

/** WeChat's own length caps by field type (its table of 参数值内容限制), kept apart from the app's checks. */
const FAKE_CAPS: Record<string, number> = {
  thing: 20,
  number: 32,
  letter: 32,
  symbol: 5,
  character_string: 32,
  phrase: 5,
  name: 20,
  phone_number: 17,
  car_number: 8,
};

function fakeValueProblem(field: string, value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'is empty';
  const type = /^([a-z_]+?)\d+$/.exec(field)?.[1] ?? '';
  const cap = FAKE_CAPS[type];
  return cap !== undefined && Array.from(value).length > cap ? 'invalid' : null;
}
