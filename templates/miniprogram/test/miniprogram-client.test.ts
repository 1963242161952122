/**
 * miniprogram/utils/api.js, run against the real backend on loopback (real database, real session
 * store, fake WeChat) through a simulated `wx` whose requests are real HTTP.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen, loadClient } from './support/mini-program';
import { startStub, type Stub, type StubAnswer } from './support/stub-server';
import { startTestApp, type TestApp } from './support/test-app';
import { WxSim } from './support/wx-sim';

let t: TestApp;
let backend: Awaited<ReturnType<typeof listen>>;
let stub: Stub;
let stubAnswer: (path: string, authorization?: string) => StubAnswer;

beforeAll(async () => {
  t = await startTestApp();
  backend = await listen(t.app);
  stub = await startStub((req) => stubAnswer(req.path, req.authorization));
});
afterAll(async () => {
  await stub.close();
  await backend.close();
  await t.close();
});

/**
 * A phone with WeChat and our Mini Program freshly launched, for a new WeChat user. The stub stands in
 * for routes of the backend (its answers are scripted per test), so its origin is listed in tokenOrigins.
 */
function phone(baseUrl = backend.url, tokenOrigins = [stub.url]) {
  const wx = new WxSim(t.fake, t.appid);
  return { wx, api: loadClient(wx, baseUrl, tokenOrigins) };
}

const sidOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid as string;
const storedToken = (wx: WxSim) => {
  const [key] = wx.storageKeys();
  return key ? (wx.getStorageSync(key) as { token: string; expiresAt: string }) : null;
};
const logins = (wx: WxSim) => wx.hits('request', '/api/auth/login').length;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('the first request logs in silently; later requests reuse the token', async () => {
  const { wx, api } = phone();
  const first = await api.request({ url: '/api/auth/me' });
  expect(first.user.id).toEqual(expect.any(String));
  const saved = storedToken(wx)!;
  expect(wx.hits('request', '/api/auth/me')[0].authorization).toBe(`JWT ${saved.token}`);

  const second = await api.request({ url: '/api/auth/me' });
  expect(second.user.id).toBe(first.user.id);
  expect([wx.hits('login').length, logins(wx)]).toEqual([1, 1]);
});

test('20 concurrent first requests share one login: one wx.login, one POST, one jscode2session', async () => {
  const { wx, api } = phone();
  const before = t.fake.calls.jscode2session;
  const answers = await Promise.all(Array.from({ length: 20 }, () => api.request({ url: '/api/auth/me' })));
  expect(new Set(answers.map((a) => a.user.id)).size).toBe(1);
  expect([wx.hits('login').length, logins(wx), t.fake.calls.jscode2session - before]).toEqual([1, 1, 1]);
  expect(new Set(wx.hits('request', '/api/auth/me').map((c) => c.authorization)).size).toBe(1);
});

test('concurrent login() callers share one login too', async () => {
  const { wx, api } = phone();
  const results = await Promise.all([api.login(), api.login(), api.login()]);
  expect(new Set(results.map((r) => r.token)).size).toBe(1);
  expect([wx.hits('login').length, logins(wx)]).toEqual([1, 1]);
});

test('a session revoked on the server: one re-login, the request retried and answered', async () => {
  const { wx, api } = phone();
  const { token, user } = await api.login();
  await t.store.destroy(sidOf(token));

  const me = await api.request({ url: '/api/auth/me' });
  expect(me.user.id).toBe(user.id);
  const tries = wx.hits('request', '/api/auth/me').map((c) => c.authorization);
  expect(tries).toEqual([`JWT ${token}`, `JWT ${storedToken(wx)!.token}`]);
  expect(storedToken(wx)!.token).not.toBe(token);
  expect(logins(wx)).toBe(2);
  // the re-login sent no token: the revoked one was dropped first
  expect(wx.hits('request', '/api/auth/login')[1].authorization).toBeUndefined();
});

test("a revoked session whose re-login fails too: rejected with the login's error, no loop", async () => {
  const { wx, api } = phone();
  const { token } = await api.login();
  await t.store.destroy(sidOf(token));
  wx.failNextLogin({ errcode: 40029 });

  await expect(api.request({ url: '/api/auth/me' })).rejects.toMatchObject({ statusCode: 400, code: 'INVALID_CODE' });
  await settle();
  expect([wx.hits('request', '/api/auth/me').length, wx.hits('login').length, logins(wx)]).toEqual([1, 2, 2]);
  expect(storedToken(wx)).toBeNull();
});

test('another origin never gets the token and never starts a login, unless listed in tokenOrigins', async () => {
  const { wx, api } = phone(backend.url, []);
  await api.login();
  const before = stub.hits.length;
  stubAnswer = () => ({ status: 200, json: { ok: true } });
  await expect(api.request({ url: `${stub.url}/api/anything` })).resolves.toEqual({ ok: true });
  stubAnswer = () => ({ status: 401, json: { error: { code: 'UNAUTHORIZED', message: 'no' } } });
  await expect(
    api.uploadFile({ url: `${stub.url}/up`, filePath: wx.tempFile('a.png', Buffer.from('89504e47', 'hex')), name: 'f' }),
  ).rejects.toMatchObject({
    statusCode: 401,
  });
  await settle();
  expect(stub.hits.slice(before).map((h) => h.authorization)).toEqual([undefined, undefined]);
  expect(logins(wx)).toBe(1); // the 401 elsewhere did not log in again

  // A URL whose origin cannot be read (three slashes: URL parsers still find the host) gets no token,
  // even beside a tokenOrigins entry that cannot be read either.
  stubAnswer = () => ({ status: 200, json: { ok: true } });
  const odd = phone(backend.url, [stub.url.replace('http://', '')]);
  await odd.api.login();
  await odd.api.request({ url: stub.url.replace('http://', 'http:///') + '/api/anything' });
  expect(stub.hits.at(-1)!.authorization).toBeUndefined();

  const listed = phone(backend.url, [`${stub.url}/`]); // an origin listed with a trailing slash still matches
  const { token } = await listed.api.login();
  await listed.api.request({ url: `${stub.url}/api/anything` });
  expect(stub.hits.at(-1)!.authorization).toBe(`JWT ${token}`);
});

test('a second 401 rejects: the re-login and the retry happen once', async () => {
  const { wx, api } = phone();
  await api.login();
  stubAnswer = () => ({ status: 401, json: { error: { code: 'UNAUTHORIZED', message: 'no' } } });
  const before = stub.hits.length;

  await expect(api.request({ url: `${stub.url}/api/anything` })).rejects.toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
  await settle();
  expect([stub.hits.length - before, logins(wx)]).toEqual([2, 2]);
  expect(storedToken(wx)).toBeNull();
});

test('a 500 rejects with its code and never logs in; a non-JSON 502 gets HTTP_502', async () => {
  const { wx, api } = phone();
  const { token } = await api.login();
  stubAnswer = (path) =>
    path === '/html'
      ? { status: 502, text: '<html>Bad Gateway</html>' }
      : { status: 500, json: { error: { code: 'INTERNAL', message: 'Internal server error.' } } };

  const err = await api.request({ url: `${stub.url}/api/x` }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(api.ApiError);
  expect(err).toBeInstanceOf(Error);
  expect(err).toMatchObject({ statusCode: 500, code: 'INTERNAL', message: 'Internal server error.' });
  await expect(api.request({ url: `${stub.url}/html` })).rejects.toMatchObject({ statusCode: 502, code: 'HTTP_502' });
  expect(logins(wx)).toBe(1);
  expect(storedToken(wx)!.token).toBe(token);
});

test('a 4xx from the backend is an ApiError with its code, although wx.request calls success', async () => {
  const { api } = phone();
  await expect(api.request({ url: '/api/no-such-route' })).rejects.toMatchObject({ statusCode: 404, code: 'NOT_FOUND' });
});

test('a timeout rejects with TIMEOUT and never logs in', async () => {
  const { wx, api } = phone();
  const { token } = await api.login();
  stubAnswer = () => 'hang';
  const started = Date.now();
  await expect(api.request({ url: `${stub.url}/slow`, timeout: 300 })).rejects.toMatchObject({ statusCode: 0, code: 'TIMEOUT' });
  expect(Date.now() - started).toBeLessThan(5000);
  expect(logins(wx)).toBe(1);
  expect(storedToken(wx)!.token).toBe(token);
});

test('a network failure rejects with NETWORK_ERROR and never logs in', async () => {
  const { wx, api } = phone();
  await api.login();
  await expect(api.request({ url: `${await closedPort()}/api/auth/me` })).rejects.toMatchObject({ statusCode: 0, code: 'NETWORK_ERROR' });
  expect(logins(wx)).toBe(1);
});

test('logout() ends the session on the server and leaves no token', async () => {
  const { wx, api } = phone();
  const { token } = await api.login();
  await api.logout();
  expect(wx.storageKeys()).toEqual([]);
  expect(wx.hits('request', '/api/auth/logout')[0].authorization).toBe(`JWT ${token}`);
  const old = api.request({ url: '/api/auth/me', auth: false, header: { Authorization: `JWT ${token}` } });
  await expect(old).rejects.toMatchObject({ statusCode: 401, code: 'UNAUTHORIZED' });
});

test('logout() forgets the token even when the server cannot be reached', async () => {
  const online = phone();
  await online.api.login();
  const { wx, api } = phone(await closedPort()); // the same stored login, no server to answer
  for (const key of online.wx.storageKeys()) wx.setStorageSync(key, online.wx.getStorageSync(key));

  await expect(api.logout()).resolves.toBeUndefined();
  expect(wx.hits('request', '/api/auth/logout')).toHaveLength(1);
  expect(wx.storageKeys()).toEqual([]);
});

test('a stored token past its expiresAt is not sent: the client logs in again', async () => {
  const { wx, api } = phone();
  const { token } = await api.login(); // still valid on the server: if it were sent, it would work
  const [key] = wx.storageKeys();
  wx.setStorageSync(key, { token, expiresAt: new Date(Date.now() - 1000).toISOString() });

  await api.request({ url: '/api/auth/me' });
  expect(wx.hits('request', '/api/auth/me')[0].authorization).not.toContain(token);
  expect(logins(wx)).toBe(2);
});

test('the base URL follows envVersion: plain http only in develop', async () => {
  const { wx, api } = phone();
  expect(api.baseUrl()).toBe(backend.url);
  for (const env of ['trial', 'release'] as const) {
    wx.envVersion = env;
    expect(api.baseUrl()).toMatch(/^https:\/\/[^/]+$/);
  }
});

test('onTask gets the RequestTask: aborting it rejects with ABORTED, and nothing logs in again', async () => {
  const { wx, api } = phone();
  await api.login();
  stubAnswer = () => 'hang';
  const pending = api.request({ url: `${stub.url}/api/slow`, onTask: (task: { abort(): void }) => setTimeout(() => task.abort(), 50) });
  await expect(pending).rejects.toMatchObject({ statusCode: 0, code: 'ABORTED' });
  expect(logins(wx)).toBe(1);
});

test('a method wx.request does not support (PATCH) is refused before anything is sent', async () => {
  const { wx, api } = phone();
  await expect(api.request({ url: '/api/users/me', method: 'PATCH', data: { nickname: 'x' } })).rejects.toMatchObject({
    code: 'BAD_METHOD',
  });
  expect(wx.hits('request', '/api/users/me')).toEqual([]);
});

test('a login answer without a token is LOGIN_FAILED, and nothing is stored', async () => {
  const { wx, api } = phone(stub.url);
  stubAnswer = () => ({ status: 200, json: {} });
  await expect(api.request({ url: '/api/auth/me' })).rejects.toMatchObject({ code: 'LOGIN_FAILED' });
  expect(wx.storageKeys()).toEqual([]);
});

describe('encrypted data', () => {
  const fetchRun = (api: ReturnType<typeof phone>['api']) => () => api.callWx('getWeRunData');

  test('logs in before fetching, so the data is encrypted with the session_key the backend holds', async () => {
    const { wx, api } = phone();
    const { data } = await api.decrypt(fetchRun(api));
    expect(data.stepInfoList).toEqual([{ timestamp: 1, step: 4321 }]);
    expect(wx.calls.map((c) => c.api).filter((a) => a !== 'request')).toEqual(['login', 'getWeRunData']);
  });

  test('a stale session_key: wx.login again, log in with the current token, fetch again, retry once', async () => {
    const { wx, api } = phone();
    const { token } = await api.login();
    await wx.rotateSessionKey(); // WeChat replaced the key; the backend still holds the old one

    const { data } = await api.decrypt(fetchRun(api));
    expect(data.stepInfoList).toHaveLength(1);
    expect([wx.hits('login').length, wx.hits('getWeRunData').length, wx.hits('request', '/api/wechat/decrypt').length]).toEqual([2, 2, 2]);
    expect(wx.hits('request', '/api/auth/login')[1].authorization).toBe(`JWT ${token}`);
  });

  test('still stale after the retry: rejected, and retried only once', async () => {
    const { wx, api } = phone();
    await api.login();
    const alwaysStale = async () => {
      await wx.rotateSessionKey();
      return api.callWx('getWeRunData');
    };
    await expect(api.decrypt(alwaysStale)).rejects.toMatchObject({ statusCode: 400, code: 'DECRYPT_FAILED' });
    await settle();
    expect([wx.hits('request', '/api/wechat/decrypt').length, logins(wx)]).toEqual([2, 2]);
  });
});

describe('uploadFile', () => {
  test('multipart with the token; a 401 re-logs in and retries; the string body is parsed', async () => {
    const { wx, api } = phone();
    const { token } = await api.login();
    stubAnswer = (_path, authorization) =>
      authorization === `JWT ${token}`
        ? { status: 401, json: { error: { code: 'UNAUTHORIZED', message: 'no' } } }
        : { status: 200, json: { user: { id: 7 } } };
    const before = stub.hits.length;
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

    const body = await api.uploadFile({ url: `${stub.url}/api/users/me/avatar`, filePath: wx.tempFile('a.png', png), name: 'avatar' });
    expect(body).toEqual({ user: { id: 7 } });
    const uploads = stub.hits.slice(before);
    expect(uploads.map((h) => h.authorization)).toEqual([`JWT ${token}`, `JWT ${storedToken(wx)!.token}`]);
    expect(uploads[1].contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(uploads[1].body.toString('latin1')).toContain('name="avatar"');
    expect(uploads[1].body.includes(png)).toBe(true);
    expect(logins(wx)).toBe(2);
  });

  test('onTask gets each UploadTask (a retry makes a new one) and onProgress its progress', async () => {
    const { wx, api } = phone();
    await api.login();
    stubAnswer = () => ({ status: 200, json: { user: { id: 7 } } });
    const tasks: unknown[] = [];
    const progress: number[] = [];
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    await api.uploadFile({
      url: `${stub.url}/api/users/me/avatar`,
      filePath: wx.tempFile('a.png', png),
      name: 'avatar',
      onTask: (task: unknown) => tasks.push(task),
      onProgress: (res: { progress: number }) => progress.push(res.progress),
    });
    expect([tasks.length, tasks[0] === wx.tasks[wx.tasks.length - 1], progress]).toEqual([1, true, [100]]);
  });

  test("an error answer is an ApiError with the backend's code", async () => {
    const { api, wx } = phone();
    stubAnswer = () => ({ status: 422, json: { error: { code: 'CONTENT_REJECTED', message: 'rejected' } } });
    await api.login();
    const upload = api.uploadFile({
      url: `${stub.url}/api/users/me/avatar`,
      filePath: wx.tempFile('a.jpg', Buffer.from('ffd8ff', 'hex')),
      name: 'avatar',
    });
    await expect(upload).rejects.toMatchObject({ statusCode: 422, code: 'CONTENT_REJECTED' });
  });
});

/** A URL where nothing listens. */
async function closedPort(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
