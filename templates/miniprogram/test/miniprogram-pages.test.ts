/**
 * @jest-environment jsdom
 *
 * The sample pages as a phone runs them: compiled and rendered by miniprogram-simulate (WeChat's own
 * test tool), their `wx` making real HTTP calls to the backend (its own process: see
 * support/backend-process.ts), the user's taps fired on the rendered nodes, and what the user reads
 * (the page's text, toasts) asserted in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startBackendProcess } from './support/backend-process';
import { MINIPROGRAM_DIR } from './support/mini-program';
import { open, type OpenPage } from './support/simulate';
import { startStub, type Stub, type StubAnswer, type StubRequest } from './support/stub-server';
import { WxSim } from './support/wx-sim';

let backend: Awaited<ReturnType<typeof startBackendProcess>>;
let stub: Stub;
let stubAnswer: (req: StubRequest) => StubAnswer;
const opened: OpenPage[] = [];

beforeAll(async () => {
  backend = await startBackendProcess();
  stub = await startStub((req) => stubAnswer(req));
}, 60_000);
afterEach(() => opened.splice(0).forEach((p) => p.close()));
afterAll(async () => {
  await stub?.close();
  await backend?.stop();
});

const read = (file: string) => fs.readFileSync(path.join(MINIPROGRAM_DIR, file), 'utf8');
const phone = () => new WxSim(backend.wechat);
async function show(name: 'index' | 'profile', wx: WxSim, baseUrl = backend.url, o: { wait?: boolean; timeout?: number } = {}) {
  const p = await open(name, wx, baseUrl, o);
  opened.push(p);
  return p;
}
/** A PNG as chooseAvatar hands one out. */
const USER_ID = '0b7e4f6c-2a51-4c1e-9d3a-5f6e7a8b9c0d';
const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);

describe('index page', () => {
  test('logs in silently and shows the user; log out, then log in again as the same user', async () => {
    const wx = phone();
    const p = await show('index', wx);
    expect(p.text('.greeting')).toBe('已登录');
    expect(p.text('.user-id')).toMatch(/^用户 ID：[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(p.text('.muted')).toBe('昵称：未设置');
    const id = p.page.data.user.id;
    expect(wx.hits('login')).toHaveLength(1);

    p.fire('.logout', 'tap');
    await p.until(() => p.text('.section') === '已退出登录登录后端：' + backend.url, 'logged out');
    expect(wx.storageKeys()).toEqual([]);
    expect(wx.toasts).toEqual(['已退出登录']);

    p.fire('.login', 'tap');
    await p.until(() => p.exists('.greeting'), 'logged in again');
    expect(p.page.data.user.id).toBe(id);
    expect(wx.hits('login')).toHaveLength(2);
  });

  test('refreshes on every show: a nickname saved elsewhere appears on return', async () => {
    const wx = phone();
    const index = await show('index', wx);
    const profile = await show('profile', wx);
    profile.fire('.nickname-form', 'submit', { value: { nickname: '小红' } });
    await profile.until(() => profile.text('.notice') === '昵称已保存', 'nickname saved');
    await index.page.onShow();
    expect(index.text('.muted')).toBe('昵称：小红');
  });

  test('Profile opens the profile page that app.json declares', async () => {
    const wx = phone();
    const p = await show('index', wx);
    p.fire('.open-profile', 'tap');
    await p.until(() => wx.navigations.length > 0, 'navigated');
    expect(wx.navigations).toEqual(['/pages/profile/profile']);
    expect(JSON.parse(read('app.json')).pages).toContain('pages/profile/profile');
  });
});

describe('what a user reads when something fails', () => {
  const token = { token: 'stub-token', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), user: { id: 7 } };

  test.each([
    ['the network is down', 'http://127.0.0.1:1', '网络连接失败，请检查网络后重试'],
    ['the backend answers 500', 'stub:500', '服务暂时不可用，请稍后重试'],
    ['the backend answers 502 with an HTML page', 'stub:502', '服务暂时不可用，请稍后重试'],
    ['the backend does not answer in time', 'stub:hang', '网络超时，请稍后重试'],
  ])('%s: the index page says so in Chinese, never the errMsg', async (_case, where, message) => {
    stubAnswer = (req) => {
      if (req.path === '/api/auth/login') return { status: 200, json: token };
      if (where === 'stub:hang') return 'hang';
      if (where === 'stub:502') return { status: 502, text: '<html>Bad Gateway</html>' };
      return { status: 500, json: { error: { code: 'INTERNAL', message: 'Internal error' } } };
    };
    const p = await show('index', phone(), where.startsWith('stub:') ? stub.url : where, { timeout: 300 });
    expect(p.text('.error')).toBe(message);
    expect(p.text('.section')).not.toMatch(/ECONNREFUSED|request:fail|INTERNAL|Bad Gateway|timeout/);
  });

  test('a 401 once (the session ended on the server): one silent re-login, and the user is shown', async () => {
    let refused = 0;
    stubAnswer = (req) => {
      if (req.path === '/api/auth/login') return { status: 200, json: { ...token, token: `stub-token-${refused}` } };
      if (req.authorization === 'JWT stub-token-0') {
        refused++;
        return { status: 401, json: { error: { code: 'UNAUTHORIZED', message: 'Login required.' } } };
      }
      return { status: 200, json: { user: { id: USER_ID, nickname: '小明' } } };
    };
    const wx = phone();
    const p = await show('index', wx, stub.url);
    expect([p.text('.greeting'), p.text('.user-id'), refused, wx.hits('login').length]).toEqual(['已登录', `用户 ID：${USER_ID}`, 1, 2]);
  });

  test('a login answer without a token is an error, not a stored session', async () => {
    stubAnswer = () => ({ status: 200, json: {} });
    const wx = phone();
    const p = await show('index', wx, stub.url);
    expect(p.text('.error')).toBe('登录失败，请稍后重试');
    expect(wx.storageKeys()).toEqual([]);
  });

  test('leaving the page aborts its request', async () => {
    stubAnswer = (req) => (req.path === '/api/auth/login' ? { status: 200, json: token } : 'hang');
    const wx = phone();
    const p = await show('index', wx, stub.url, { wait: false });
    await p.until(() => wx.hits('request', '/api/auth/me').length === 1, 'the request sent');
    p.close();
    expect(wx.tasks.map((task) => task.aborted)).toEqual([false, true]); // the login's task had finished
    await new Promise((r) => setTimeout(r, 50));
    expect(p.page.data.error).toBe(''); // nothing shown for a page that has gone
  });
});

describe('profile page', () => {
  test('avatar: the chosen image is uploaded with a loading mask and progress; under review until WeChat clears it', async () => {
    const wx = phone();
    const p = await show('profile', wx);
    p.fire('.avatar-button', 'chooseavatar', { avatarUrl: wx.tempFile('tmp_avatar.png', png) });
    await p.until(() => p.text('.notice') !== '', 'the upload answered');
    expect(p.text('.notice')).toBe('头像已上传，审核通过后他人可见');
    expect(p.text('.avatar-pending')).toBe('新头像审核中，通过后他人可见');
    expect(p.page.data.user.avatarUrl).toMatch(/^https?:\/\//);
    expect([wx.loadings, wx.loading, wx.toasts]).toEqual([['上传中'], null, ['已保存']]);
    const [upload] = wx.hits('uploadFile', '/api/users/me/avatar');
    expect(upload.authorization).toMatch(/^JWT /);
  });

  test('on a WeChat too old for chooseAvatar, the page says to upgrade', async () => {
    const wx = phone();
    wx.missingApis = ['button.open-type.chooseAvatar'];
    const p = await show('profile', wx);
    expect(p.text('.error')).toBe('当前微信版本过低，请升级微信后再设置头像和昵称');
    const project = JSON.parse(read('project.config.json'));
    expect(project.libVersion).toBe('2.32.3'); // onNeedPrivacyAuthorization, getPrivacySetting, openPrivacyContract
  });

  test('the avatar button has a text label for screen readers', () => {
    expect(read('pages/profile/profile.wxml')).toMatch(/<button class="avatar-button"[^>]* aria-label="[^"]+"/);
  });

  test("nickname: saved with PUT after WeChat's own review passes, and shown", async () => {
    const wx = phone();
    const p = await show('profile', wx);
    p.fire('.nickname', 'input', { value: '小明' });
    p.fire('.nickname-form', 'submit', { value: { nickname: ' 小明 ' } });
    await new Promise((r) => setTimeout(r, 200));
    expect(wx.hits('request', '/api/users/me')).toEqual([]); // waits for bindnicknamereview
    p.fire('.nickname', 'nicknamereview', { pass: true, timeout: false });
    await p.until(() => p.text('.notice') === '昵称已保存', 'saved');
    expect(wx.hits('request', '/api/users/me').map((c) => [c.method, c.body])).toEqual([['PUT', { nickname: '小明' }]]);
    expect(p.page.data.user.nickname).toBe('小明');
  });

  test('nickname: one WeChat clears is not sent, and the user is told why', async () => {
    const wx = phone();
    const p = await show('profile', wx);
    p.fire('.nickname', 'input', { value: '坏昵称' });
    p.fire('.nickname-form', 'submit', { value: { nickname: '坏昵称' } });
    p.fire('.nickname', 'nicknamereview', { pass: false, timeout: false });
    await p.until(() => p.text('.error') !== '', 'told');
    expect(p.text('.error')).toBe('微信检测到昵称不合规，已清空，请换一个');
    expect(p.page.data.nickname).toBe('');
    await new Promise((r) => setTimeout(r, 100));
    expect(wx.hits('request', '/api/users/me')).toEqual([]);
  });

  test("nickname: one the backend's msg_sec_check rejects is said in Chinese", async () => {
    await backend.wechat.textVerdict('违规昵称', 'risky');
    const p = await show('profile', phone());
    p.fire('.nickname-form', 'submit', { value: { nickname: '违规昵称' } });
    await p.until(() => p.text('.error') !== '', 'refused');
    expect(p.text('.error')).toBe('内容未通过微信安全检测，请修改后重试');
    expect(p.page.data.user.nickname).toBeNull();
  });

  test('phone: filled in, then deliberately changed to a new number (refresh), with its own messages', async () => {
    const wx = phone();
    const p = await show('profile', wx);
    expect(p.text('.phone-button')).toBe('填写手机号');
    p.fire('.phone-button', 'getphonenumber', {
      code: await backend.wechat.newPhoneCode('13800138000', wx.openid),
      errMsg: 'getPhoneNumber:ok',
    });
    await p.until(() => p.text('.phone') === '手机号：13800138000', 'filled in');
    expect([p.text('.notice'), p.text('.phone-button')]).toEqual(['手机号已保存', '更换手机号']);

    p.fire('.phone-button', 'getphonenumber', {
      code: await backend.wechat.newPhoneCode('13900139000', wx.openid),
      errMsg: 'getPhoneNumber:ok',
    });
    await p.until(() => p.text('.notice') === '手机号已更换', 'changed');
    expect(p.text('.phone')).toBe('手机号：13900139000');
    expect(wx.hits('request', '/api/auth/phone').map((c) => (c.body as { refresh: boolean }).refresh)).toEqual([false, true]);
  });

  test.each([
    ['getPhoneNumber:fail user deny', '你未授权手机号，可以稍后再试'],
    ['getPhoneNumber:fail no permission', '该小程序未完成微信认证，暂不能获取手机号'],
    ['getPhoneNumber:fail privacy permission is not authorized', '请先同意隐私保护指引，再获取手机号'],
  ])('phone refused (%s): its own message, nothing sent', async (errMsg, message) => {
    const wx = phone();
    const p = await show('profile', wx);
    p.fire('.phone-button', 'getphonenumber', { errMsg });
    await p.until(() => p.text('.error') !== '', 'refused');
    expect(p.text('.error')).toBe(message);
    expect(wx.hits('request', '/api/auth/phone')).toEqual([]);
  });
});

describe('用户隐私保护指引 (privacy guide)', () => {
  test('a user who has not agreed sees why, can read the guide, and agrees: the paused avatar picker goes on', async () => {
    const wx = phone();
    wx.privacyNeeded = true;
    const p = await show('profile', wx);
    await p.until(() => p.exists('.privacy'), 'the privacy panel');
    expect(p.text('.privacy-why')).toBe(`设置头像、昵称和手机号之前，请阅读并同意《${wx.privacyName}》。`);
    p.fire('.link', 'tap');
    await p.until(() => wx.navigations.length > 0, 'the guide opened');
    expect(wx.navigations).toEqual(['privacy-contract']);

    const decided = wx.pausePrivacyApi('button.chooseAvatar'); // the user tapped the avatar button
    p.fire('.agree-privacy', 'agreeprivacyauthorization');
    expect(await decided).toEqual({ buttonId: 'agree-privacy', event: 'agree' });
    expect(wx.privacyAnswers[0]).toEqual({ event: 'exposureAuthorization' });
    await p.until(() => !p.exists('.privacy'), 'the panel closed');
    // the id WeChat checks is the agree button's own
    expect(read('pages/profile/profile.wxml')).toMatch(
      /<button id="agree-privacy"[^>]* open-type="agreePrivacyAuthorization"[^>]* bindagreeprivacyauthorization="onAgreePrivacy"/,
    );
  });

  test('declining: the paused API fails and the page says what cannot be used', async () => {
    const wx = phone();
    const p = await show('profile', wx);
    expect(p.exists('.privacy')).toBe(false); // agreed already: no panel
    const decided = wx.pausePrivacyApi('button.getPhoneNumber');
    await p.until(() => p.exists('.privacy'), 'the privacy panel');
    p.fire('.decline-privacy', 'tap');
    expect(await decided).toEqual({ event: 'disagree' });
    await p.until(() => p.text('.error') !== '', 'told');
    expect(p.text('.error')).toBe('未同意《用户隐私保护指引》，无法使用头像、昵称和手机号');
  });
});
