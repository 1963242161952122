import { Buffer } from 'node:buffer';
import { createCipheriv, randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { URL } from 'node:url';

// Explicit imports and no setImmediate: this runs in jest's jsdom environment too (miniprogram-simulate),
// whose globals are a browser's.
const later = (fn: () => void) => void setTimeout(fn, 0);

/** The part of the fake WeChat server that a phone's WeChat stands in front of. */
export interface WechatServer {
  newLogin(user?: { openid?: string }): Login | Promise<Login>;
  failCode(code: string, failure: { errcode: number }): void | Promise<void>;
}
type Login = { code: string; user: { session_key: string } };

/** What wx.request / wx.uploadFile return: abort(), and progress for uploads. */
export interface WxTask {
  abort(): void;
  onProgressUpdate(listener: (res: { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number }) => void): void;
  aborted: boolean;
}

/** One call the Mini Program made, as the tests see it. */
export interface WxCall {
  api: 'login' | 'request' | 'uploadFile' | 'getWeRunData';
  method?: string;
  url?: string;
  /** The path of request/uploadFile URLs, e.g. /api/auth/me. */
  path?: string;
  authorization?: string;
  body?: unknown;
}

type Callbacks = { success?: (res: object) => void; fail?: (err: { errMsg: string }) => void; complete?: (res: object) => void };
type RequestOptions = Callbacks & {
  url: string;
  method?: string;
  data?: unknown;
  header?: Record<string, string>;
  timeout?: number;
  dataType?: string;
};
type UploadOptions = Callbacks & {
  url: string;
  filePath: string;
  name: string;
  formData?: Record<string, string>;
  header?: Record<string, string>;
  timeout?: number;
};

const agent = new http.Agent({ keepAlive: false });

/**
 * A simulated `wx` for one phone and one WeChat user: wx.login hands out codes the fake WeChat knows
 * (each with a new session_key, as a real wx.login may); wx.request and wx.uploadFile do real HTTP with
 * WeChat's semantics (`success` on any HTTP status, `fail` with an errMsg when nothing was answered,
 * `timeout` in ms, JSON bodies parsed); storage is in memory and JSON-serialized like WeChat's.
 */
export class WxSim {
  readonly calls: WxCall[] = [];
  readonly openid = `o_sim_${randomBytes(8).toString('hex')}`;
  envVersion: 'develop' | 'trial' | 'release' = 'develop';
  /** The session_key of the newest wx.login: what encrypted data is encrypted with. */
  sessionKey = '';
  private readonly storage = new Map<string, string>();
  private readonly files = new Map<string, { name: string; content: Buffer }>();
  private loginFailure: { errcode: number } | null = null;

  constructor(
    private readonly wechat: WechatServer,
    readonly appid = 'wx0000000000000000',
  ) {}

  /** Calls of one kind to one path, e.g. sim.hits('request', '/api/auth/login'). */
  hits(api: WxCall['api'], urlPath?: string): WxCall[] {
    return this.calls.filter((c) => c.api === api && (urlPath === undefined || c.path === urlPath));
  }

  /** The next wx.login returns a code that the fake WeChat then refuses with `failure`. */
  failNextLogin(failure: { errcode: number } = { errcode: 40029 }): void {
    this.loginFailure = failure;
  }

  /** WeChat replaced this user's session_key (another wx.login elsewhere); the app was not told. */
  async rotateSessionKey(): Promise<void> {
    this.sessionKey = (await this.wechat.newLogin({ openid: this.openid })).user.session_key;
  }

  /** A temporary file, as chooseAvatar hands out: its path is what the page passes to wx.uploadFile. */
  tempFile(name: string, content: Buffer): string {
    const filePath = `http://tmp/${randomBytes(6).toString('hex')}${path.extname(name)}`;
    this.files.set(filePath, { name, content });
    return filePath;
  }

  login(o: Callbacks & { timeout?: number }): void {
    this.calls.push({ api: 'login' });
    const failure = this.loginFailure;
    this.loginFailure = null;
    void Promise.resolve(this.wechat.newLogin({ openid: this.openid })).then(async ({ code, user }) => {
      this.sessionKey = user.session_key;
      if (failure) await this.wechat.failCode(code, failure);
      done(o, true, { code, errMsg: 'login:ok' });
    });
  }

  request(o: RequestOptions): WxTask {
    const method = (o.method ?? 'GET').toUpperCase();
    const url = new URL(o.url);
    const header: Record<string, string> = { 'content-type': 'application/json', ...lowerCase(o.header) };
    let body: Buffer | undefined;
    if (method === 'GET' && o.data && typeof o.data === 'object') {
      for (const [k, v] of Object.entries(o.data)) url.searchParams.set(k, String(v));
    } else if (o.data !== undefined && method !== 'GET') {
      body = Buffer.from(
        typeof o.data === 'string' ? o.data : header['content-type'].includes('json') ? JSON.stringify(o.data) : String(o.data),
      );
    }
    this.record('request', method, url, header, o.data);
    return this.http('request', url, method, header, body, o, (text) => (o.dataType === 'text' ? text : parseOrRaw(text)));
  }

  uploadFile(o: UploadOptions): WxTask {
    const url = new URL(o.url);
    const file = this.files.get(o.filePath);
    if (!file) {
      later(() => done(o, false, { errMsg: 'uploadFile:fail file not found' }));
      return { aborted: false, abort: () => undefined, onProgressUpdate: () => undefined };
    }
    const boundary = `----WxSimBoundary${randomBytes(8).toString('hex')}`;
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(o.formData ?? {})) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    }
    const type =
      { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' }[path.extname(o.filePath)] ??
      'application/octet-stream';
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${o.name}"; filename="${path.basename(o.filePath)}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
    );
    parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
    const header = { ...lowerCase(o.header), 'content-type': `multipart/form-data; boundary=${boundary}` };
    this.record('uploadFile', 'POST', url, header, { name: o.name, formData: o.formData });
    return this.http('uploadFile', url, 'POST', header, Buffer.concat(parts), o, (text) => text); // uploadFile's data stays a string
  }

  /** Encrypted data as WeChat hands it out: AES-128-CBC with the newest session_key, with our watermark. */
  getWeRunData(o: Callbacks): void {
    this.calls.push({ api: 'getWeRunData' });
    const iv = randomBytes(16);
    const cipher = createCipheriv('aes-128-cbc', Buffer.from(this.sessionKey, 'base64'), iv);
    const plain = JSON.stringify({
      stepInfoList: [{ timestamp: 1, step: 4321 }],
      watermark: { appid: this.appid, timestamp: Math.floor(Date.now() / 1000) },
    });
    const encryptedData = Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    later(() => done(o, true, { encryptedData, iv: iv.toString('base64'), errMsg: 'getWeRunData:ok' }));
  }

  getAccountInfoSync() {
    return { miniProgram: { appId: this.appid, envVersion: this.envVersion, version: '' }, plugin: {} };
  }

  getStorageSync(key: string): unknown {
    const text = this.storage.get(key);
    return text === undefined ? '' : JSON.parse(text); // WeChat answers '' for a missing key
  }

  setStorageSync(key: string, value: unknown): void {
    this.storage.set(key, JSON.stringify(value));
  }

  removeStorageSync(key: string): void {
    this.storage.delete(key);
  }

  /** What is stored, for assertions. */
  storageKeys(): string[] {
    return [...this.storage.keys()];
  }

  /** Every RequestTask / UploadTask handed out. */
  readonly tasks: WxTask[] = [];

  /* ---- what the user sees besides the page: toasts and the loading mask ---- */
  readonly toasts: string[] = [];
  loading: string | null = null;
  readonly loadings: string[] = [];
  showToast(o: Callbacks & { title: string }): void {
    this.toasts.push(o.title);
    later(() => done(o, true, { errMsg: 'showToast:ok' }));
  }
  showLoading(o: Callbacks & { title: string }): void {
    this.loading = o.title;
    this.loadings.push(o.title);
    later(() => done(o, true, { errMsg: 'showLoading:ok' }));
  }
  hideLoading(o: Callbacks = {}): void {
    this.loading = null;
    later(() => done(o, true, { errMsg: 'hideLoading:ok' }));
  }

  /* ---- 用户隐私保护指引 (base library 2.32.3+) ---- */
  /** Whether this user has yet to agree to the privacy guide. */
  privacyNeeded = false;
  privacyName = '示例小程序隐私保护指引';
  private privacyListener: ((resolve: (r: { event: string; buttonId?: string }) => void, info: { referrer: string }) => void) | null = null;
  /** What the page answered to the paused privacy API, in order. */
  readonly privacyAnswers: Array<{ event: string; buttonId?: string }> = [];
  canIUse(schema: string): boolean {
    return !this.missingApis.includes(schema);
  }
  /** APIs canIUse denies, as on an older base library. */
  missingApis: string[] = [];
  onNeedPrivacyAuthorization(listener: NonNullable<WxSim['privacyListener']>): void {
    this.privacyListener = listener;
  }
  getPrivacySetting(o: Callbacks): void {
    later(() =>
      done(o, true, {
        needAuthorization: this.privacyNeeded,
        privacyContractName: `《${this.privacyName}》`,
        errMsg: 'getPrivacySetting:ok',
      }),
    );
  }
  openPrivacyContract(o: Callbacks): void {
    this.navigations.push('privacy-contract');
    later(() => done(o, true, { errMsg: 'openPrivacyContract:ok' }));
  }
  /**
   * WeChat pauses a privacy API (e.g. 'button.chooseAvatar') until the page resolves; resolves with what
   * the page decided. Agreement counts only with the agree button's id (WeChat checks it was tapped).
   */
  pausePrivacyApi(referrer: string): Promise<{ event: string; buttonId?: string }> {
    return new Promise((resolve, reject) => {
      if (!this.privacyListener) return reject(new Error('no onNeedPrivacyAuthorization listener'));
      this.privacyListener(
        (answer) => {
          this.privacyAnswers.push(answer);
          if (answer.event === 'agree') this.privacyNeeded = false;
          if (answer.event !== 'exposureAuthorization') resolve(answer);
        },
        { referrer },
      );
    });
  }

  readonly navigations: string[] = [];
  navigateTo(o: Callbacks & { url: string }): void {
    this.navigations.push(o.url);
    later(() => done(o, true, { errMsg: 'navigateTo:ok' }));
  }

  private record(api: 'request' | 'uploadFile', method: string, url: URL, header: Record<string, string>, body: unknown): void {
    this.calls.push({ api, method, url: url.href, path: url.pathname, authorization: header.authorization, body });
  }

  private http(
    api: string,
    url: URL,
    method: string,
    header: Record<string, string>,
    body: Buffer | undefined,
    o: Callbacks & { timeout?: number },
    data: (text: string) => unknown,
  ): WxTask {
    let settled = false;
    const progress: Array<Parameters<WxTask['onProgressUpdate']>[0]> = [];
    const finish = (ok: boolean, res: { errMsg: string; [field: string]: unknown }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      done(o, ok, res);
    };
    const req = http.request(
      url,
      { method, headers: body ? { ...header, 'content-length': String(body.length) } : header, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          finish(true, {
            statusCode: res.statusCode,
            header: res.headers,
            data: data(Buffer.concat(chunks).toString('utf8')),
            errMsg: `${api}:ok`,
          }),
        );
        res.on('error', (err) => finish(false, { errMsg: `${api}:fail ${err.message}` }));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(false, { errMsg: `${api}:fail timeout` });
    }, o.timeout ?? 60_000);
    req.on('error', (err) => finish(false, { errMsg: `${api}:fail ${err.message}` }));
    const size = body?.length ?? 0;
    req.end(body, () => progress.forEach((listener) => listener({ progress: 100, totalBytesSent: size, totalBytesExpectedToSend: size })));
    const task: WxTask = {
      aborted: false,
      abort() {
        task.aborted = true;
        req.destroy();
        finish(false, { errMsg: `${api}:fail abort` });
      },
      onProgressUpdate: (listener) => void progress.push(listener),
    };
    this.tasks.push(task);
    return task;
  }
}

function done(o: Callbacks, ok: boolean, res: { errMsg: string; [field: string]: unknown }): void {
  if (ok) o.success?.(res);
  else o.fail?.(res);
  o.complete?.(res);
}

function lowerCase(header: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(header).map(([k, v]) => [k.toLowerCase(), v]));
}

/** wx.request's dataType 'json': parse when it is JSON, else hand over the text. */
function parseOrRaw(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
