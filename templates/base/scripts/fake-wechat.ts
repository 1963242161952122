import { createCipheriv, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What jscode2session answers for a code. */
export interface FakeUser {
  openid: string;
  session_key: string;
  unionid?: string;
}

/** How a code misbehaves: a WeChat errcode, an HTML error page, or no answer at all. */
export type Failure = { errcode: number } | 'html' | 'hang';

export interface FakeWechatOptions {
  appid: string;
  secret: string;
  /** dev:mock: any unknown code logs in user `o_mock_<code>`, and codes may be reused. */
  anyCode?: boolean;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * A fake of WeChat's server API on loopback: jscode2session, stable_token, getuserphonenumber and
 * checksession, with WeChat's own error answers. `npm run dev:mock` serves it (any code logs in);
 * tests register codes and count calls.
 */
export class FakeWechat {
  readonly calls = { jscode2session: 0, stableToken: 0, phone: 0, checkSession: 0 };
  url = '';
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private readonly codes = new Map<string, FakeUser | Failure>();
  private readonly used = new Set<string>();
  private readonly phones = new Map<string, string>();
  private readonly hanging = new Set<http.ServerResponse>();
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

  /** Makes `code` fail the way WeChat can. */
  failCode(code: string, failure: Failure): void {
    this.codes.set(code, failure);
  }

  /** Registers a getPhoneNumber code. */
  newPhoneCode(phoneNumber: string): string {
    const code = `phone_${randomBytes(8).toString('hex')}`;
    this.phones.set(code, phoneNumber);
    return code;
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
      switch (url.pathname) {
        case '/sns/jscode2session':
          return this.jscode2session(url.searchParams, res);
        case '/cgi-bin/stable_token':
          return this.stableToken(body, res);
        case '/wxa/business/getuserphonenumber':
          return this.phone(url.searchParams, body, res);
        case '/wxa/checksession':
          return this.checkSession(url.searchParams, res);
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

  private jscode2session(q: URLSearchParams, res: http.ServerResponse): void {
    this.calls.jscode2session++;
    if (!this.credentialsOk(q.get('appid'), q.get('secret'), res)) return;
    const code = q.get('js_code') ?? '';
    let entry = this.codes.get(code);
    if (!entry && this.o.anyCode) entry = { openid: `o_mock_${code}`, session_key: randomBytes(16).toString('base64') };
    if (entry === 'hang') return void this.hanging.add(res);
    if (entry === 'html') return void res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body>502 Bad Gateway</body></html>');
    if (!entry) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    if ('errcode' in entry) return json(res, 200, { errcode: entry.errcode, errmsg: 'fake error' });
    if (this.used.has(code)) return json(res, 200, { errcode: 40163, errmsg: 'code been used' });
    if (!this.o.anyCode) this.used.add(code);
    json(res, 200, entry); // success has no errcode at all, as with WeChat
  }

  private stableToken(body: string, res: http.ServerResponse): void {
    this.calls.stableToken++;
    const b = JSON.parse(body || '{}') as Record<string, unknown>;
    if (b.grant_type !== 'client_credential') return json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    if (!this.credentialsOk(b.appid, b.secret, res)) return;
    json(res, 200, { access_token: this.accessToken, expires_in: 7200 });
  }

  private tokenOk(q: URLSearchParams, res: http.ServerResponse): boolean {
    if (q.get('access_token') === this.accessToken) return true;
    json(res, 200, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' });
    return false;
  }

  private phone(q: URLSearchParams, body: string, res: http.ServerResponse): void {
    this.calls.phone++;
    if (!this.tokenOk(q, res)) return;
    const code = (JSON.parse(body || '{}') as { code?: string }).code ?? '';
    const phone = this.phones.get(code) ?? (this.o.anyCode ? '13800138000' : undefined);
    if (!phone) return json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
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

  private checkSession(q: URLSearchParams, res: http.ServerResponse): void {
    this.calls.checkSession++;
    if (!this.tokenOk(q, res)) return;
    const user = [...this.codes.values()].find((u) => typeof u === 'object' && 'openid' in u && u.openid === q.get('openid')) as
      FakeUser | undefined;
    const expected = user && createHmac('sha256', user.session_key).update('').digest('hex');
    json(
      res,
      200,
      expected && expected === q.get('signature') ? { errcode: 0, errmsg: 'ok' } : { errcode: 87009, errmsg: 'invalid signature' },
    );
  }
}
