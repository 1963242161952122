/**
 * The sample pages' logic: each page's JS is loaded as WeChat loads it (Page() captured, a global
 * `wx`), then its handlers are called with the events WeChat would send. The index page talks to the
 * real backend; the profile page to a stub that answers with the profile routes' documented contract.
 */
import fs from 'node:fs';
import path from 'node:path';
import { listen, loadPage, MINIPROGRAM_DIR } from './support/mini-program';
import { startStub, type Stub, type StubRequest } from './support/stub-server';
import { startTestApp, type TestApp } from './support/test-app';
import { WxSim } from './support/wx-sim';

let t: TestApp;
let backend: Awaited<ReturnType<typeof listen>>;
let profileApi: Stub;
let profileAnswer: (req: StubRequest) => { status: number; json?: unknown };

beforeAll(async () => {
  t = await startTestApp();
  backend = await listen(t.app);
  profileApi = await startStub((req) => profileAnswer(req));
});
afterAll(async () => {
  await profileApi.close();
  await backend.close();
  await t.close();
});

const appJson = JSON.parse(fs.readFileSync(path.join(MINIPROGRAM_DIR, 'app.json'), 'utf8')) as { pages: string[] };
const read = (file: string) => fs.readFileSync(path.join(MINIPROGRAM_DIR, file), 'utf8');

describe('the project opens in WeChat DevTools', () => {
  test('project.config.json names an AppID (or the test AppID) and this folder as the source root', () => {
    const project = JSON.parse(read('project.config.json'));
    expect(project.appid).toMatch(/^(wx[0-9a-f]{16}|touristappid)$/);
    expect(project.compileType).toBe('miniprogram');
    expect(fs.existsSync(path.join(MINIPROGRAM_DIR, project.miniprogramRoot, 'app.json'))).toBe(true);
  });

  test.each(appJson.pages)('%s has its four files, and every handler its WXML binds exists in its JS', (page) => {
    for (const ext of ['js', 'json', 'wxml', 'wxss'])
      expect([page, ext, fs.existsSync(path.join(MINIPROGRAM_DIR, `${page}.${ext}`))]).toEqual([page, ext, true]);
    const instance = loadPage(`${page}.js`, new WxSim(t.fake), 'http://127.0.0.1:1');
    const handlers = [...read(`${page}.wxml`).matchAll(/\b(?:bind|catch):?[a-z]+="([^"]+)"/g)].map((m) => m[1]);
    expect(handlers.length).toBeGreaterThan(0);
    for (const name of handlers) expect([name, typeof instance[name]]).toEqual([name, 'function']);
  });
});

describe('index page', () => {
  test('logs in silently and shows the user from /api/auth/me', async () => {
    const wx = new WxSim(t.fake);
    const page = loadPage('pages/index/index.js', wx, backend.url);
    await page.onLoad();
    expect(page.data).toMatchObject({ loading: false, error: '', user: { id: expect.any(Number) }, baseUrl: backend.url });
    expect(wx.hits('login')).toHaveLength(1);
  });

  test('shows the error plainly when the backend cannot be reached', async () => {
    const page = loadPage('pages/index/index.js', new WxSim(t.fake), 'http://127.0.0.1:1');
    await page.onLoad();
    expect(page.data).toMatchObject({ loading: false, user: null, error: expect.stringMatching(/^NETWORK_ERROR: /) });
  });

  test('log out forgets the user and the token; Profile opens a page that app.json declares', async () => {
    const wx = new WxSim(t.fake);
    const page = loadPage('pages/index/index.js', wx, backend.url);
    await page.onLoad();
    await page.onLogout();
    expect(page.data.user).toBeNull();
    expect(wx.storageKeys()).toEqual([]);
    page.onOpenProfile();
    expect(wx.navigations).toEqual(['/pages/profile/profile']);
    expect(appJson.pages).toContain('pages/profile/profile');
  });
});

describe("profile page (against the profile routes' contract)", () => {
  let user: Record<string, unknown>;
  const json = (req: StubRequest) => JSON.parse(req.body.toString() || '{}');
  const routes = (extra: (req: StubRequest) => { status: number; json?: unknown } | undefined) => (req: StubRequest) => {
    if (req.path === '/api/auth/login')
      return { status: 200, json: { token: 'stub-token', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), user } };
    if (req.path === '/api/auth/me') return { status: 200, json: { user } };
    return extra(req) ?? { status: 404, json: { error: { code: 'NOT_FOUND', message: 'No such route.' } } };
  };
  async function open() {
    const wx = new WxSim(t.fake);
    const page = loadPage('pages/profile/profile.js', wx, profileApi.url);
    await page.onLoad();
    return { wx, page, hits: () => profileApi.hits.filter((h) => !h.path.startsWith('/api/auth/')) };
  }
  beforeEach(() => {
    user = { id: 1, nickname: null, avatarUrl: null, phone: null };
    profileApi.hits.length = 0;
  });

  test('the chosen avatar is uploaded as the multipart field "avatar"; a pending review is shown', async () => {
    profileAnswer = routes((req) =>
      req.path === '/api/users/me/avatar' && req.method === 'POST'
        ? { status: 200, json: { user: { ...user, avatarUrl: 'https://cdn/a.png', avatarPending: true } } }
        : undefined,
    );
    const { wx, page, hits } = await open();
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await page.onChooseAvatar({ detail: { avatarUrl: wx.tempFile('avatar.png', png) } });

    const [upload] = hits();
    expect(upload.authorization).toBe('JWT stub-token');
    expect(upload.body.toString('latin1')).toMatch(/name="avatar"; filename="[^"]+\.png"/);
    expect(upload.body.includes(png)).toBe(true);
    expect(page.data).toMatchObject({
      user: { avatarUrl: 'https://cdn/a.png' },
      avatarPending: true,
      error: '',
      notice: expect.stringMatching(/review/),
    });
  });

  test('a nickname is sent trimmed with PUT /api/users/me; saved, or pending review', async () => {
    profileAnswer = routes((req) =>
      req.path === '/api/users/me' && req.method === 'PUT'
        ? { status: 200, json: { user: { ...user, nickname: json(req).nickname, nicknamePending: json(req).nickname === 'Review' } } }
        : undefined,
    );
    const { page, hits } = await open();
    await page.onSaveNickname({ detail: { value: { nickname: '  小明 ' } } });
    expect(json(hits()[0])).toEqual({ nickname: '小明' });
    expect(page.data).toMatchObject({ user: { nickname: '小明' }, nicknamePending: false, notice: 'Nickname saved.' });

    await page.onSaveNickname({ detail: { value: { nickname: 'Review' } } });
    expect(page.data).toMatchObject({ nicknamePending: true, notice: expect.stringMatching(/review/) });
  });

  test("a nickname rejected by WeChat's content check (422 CONTENT_REJECTED) is said plainly and not shown", async () => {
    profileAnswer = routes((req) =>
      req.path === '/api/users/me' ? { status: 422, json: { error: { code: 'CONTENT_REJECTED', message: 'risky' } } } : undefined,
    );
    const { page } = await open();
    await page.onSaveNickname({ detail: { value: { nickname: 'bad word' } } });
    expect(page.data.error).toMatch(/content check rejected/);
    expect(page.data.user.nickname).toBeNull();
    expect(page.data.saving).toBe(false);
  });

  test('an empty nickname is refused without a request', async () => {
    profileAnswer = routes(() => undefined);
    const { page, hits } = await open();
    await page.onSaveNickname({ detail: { value: { nickname: '   ' } } });
    expect(hits()).toEqual([]);
    expect(page.data.error).not.toBe('');
  });

  test('getPhoneNumber: the code goes to POST /api/auth/phone; a refusal sends nothing', async () => {
    profileAnswer = routes((req) =>
      req.path === '/api/auth/phone'
        ? { status: 200, json: { phoneNumber: '13800138000', user: { ...user, phone: '13800138000' } } }
        : undefined,
    );
    const { page } = await open();
    const sent = () => profileApi.hits.filter((h) => h.path === '/api/auth/phone');
    await page.onGetPhoneNumber({ detail: { errMsg: 'getPhoneNumber:fail user deny' } });
    expect(sent()).toEqual([]);
    expect(page.data.error).toMatch(/not shared/);

    await page.onGetPhoneNumber({ detail: { code: 'phone-code-1', errMsg: 'getPhoneNumber:ok' } });
    expect(sent().map((h) => [h.method, json(h)])).toEqual([['POST', { code: 'phone-code-1' }]]);
    expect(page.data).toMatchObject({ user: { phone: '13800138000' }, error: '', notice: 'Phone number saved.' });
  });

  test("against the real backend: a phone code WeChat refuses is shown as the backend's error", async () => {
    const page = loadPage('pages/profile/profile.js', new WxSim(t.fake), backend.url);
    await page.onLoad();
    expect(page.data.user.id).toEqual(expect.any(Number));
    await page.onGetPhoneNumber({ detail: { code: 'a-code-wechat-never-issued' } });
    expect(page.data.error).toMatch(/^[A-Z_]+: ./);
    expect(page.data.user.phone).toBeNull();
  });
});
