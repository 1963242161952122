/**
 * miniprogram/utils/api.js with config.cloud set: requests go through a simulated wx.cloud.callContainer
 * and a simulated 微信云托管 gateway (which adds X-WX-SOURCE, X-WX-APPID and X-WX-OPENID) to the real
 * backend on loopback. The real gateway cannot be run here: what it adds is taken from WeChat's docs.
 */
import http from 'node:http';
import path from 'node:path';
import { listen, MINIPROGRAM_DIR, type ApiClient, type ApiError } from './support/mini-program';
import { startTestApp, type TestApp } from './support/test-app';
import { WxSim } from './support/wx-sim';

const CLOUD = { env: 'prod-test-1a2b3c', service: 'api' };

let t: TestApp;
let backend: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  t = await startTestApp();
  backend = await listen(t.app);
});
afterAll(async () => {
  await backend.close();
  await t.close();
});

interface CallContainerOptions {
  config: { env: string };
  path: string;
  method: string;
  header: Record<string, string>;
  data?: unknown;
  timeout?: number;
  success(res: { statusCode: number; data: unknown }): void;
  fail(err: { errMsg: string }): void;
}

/** wx.cloud as the phone has it: init, then callContainer through the gateway to the service. */
class CloudSim {
  readonly log: string[] = [];
  readonly calls: CallContainerOptions[] = [];
  constructor(private readonly openid: string) {}

  init(o: { env: string }) {
    this.log.push(`init ${o.env}`);
  }

  callContainer(o: CallContainerOptions) {
    this.log.push(`callContainer ${o.path}`);
    this.calls.push(o);
    // the gateway: routes by env + X-WX-SERVICE, and says who calls
    const headers = {
      ...o.header,
      'content-type': 'application/json',
      'X-WX-SOURCE': 'wx_client',
      'X-WX-APPID': t.appid,
      'X-WX-OPENID': this.openid,
    };
    const req = http.request(`${backend.url}${o.path}`, { method: o.method, headers }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => o.success({ statusCode: res.statusCode!, data: body ? JSON.parse(body) : '' }));
    });
    req.on('error', (err) => o.fail({ errMsg: `cloud.callContainer:fail ${err.message}` }));
    req.end(o.data === undefined ? undefined : JSON.stringify(o.data));
  }
}

/** utils/messages.js: the sentence a user reads for an error. */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { messageOf } = require(path.join(MINIPROGRAM_DIR, 'utils', 'messages.js')) as { messageOf(err: unknown): string };

/** A phone whose Mini Program has config.cloud set. */
function phone() {
  const wx = new WxSim(t.fake, t.appid);
  const cloud = new CloudSim(wx.openid);
  const g = globalThis as Record<string, unknown>;
  g.wx = Object.assign(wx, { cloud });
  let api: ApiClient | undefined;
  /* eslint-disable @typescript-eslint/no-require-imports */
  jest.isolateModules(() => {
    const config = require(path.join(MINIPROGRAM_DIR, 'config.js')) as { cloud: unknown };
    config.cloud = CLOUD;
    api = require(path.join(MINIPROGRAM_DIR, 'utils', 'api.js')) as ApiClient;
  });
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { wx, cloud, api: api! };
}

test('requests go through callContainer: wx.cloud.init first, the service named, no login round trip, the gateway names the user', async () => {
  const { wx, cloud, api } = phone();
  const me = await api.request({ url: '/api/auth/me' });
  const again = await api.request({ url: 'api/auth/me' });
  expect(again.user.id).toBe(me.user.id);
  expect((await t.prisma.user.findUnique({ where: { openid: wx.openid } }))?.id).toBe(me.user.id);
  expect(cloud.log).toEqual([`init ${CLOUD.env}`, 'callContainer /api/auth/me', 'callContainer /api/auth/me']);
  expect(cloud.calls.map((c) => [c.config.env, c.header['X-WX-SERVICE'], c.header.Authorization])).toEqual([
    [CLOUD.env, CLOUD.service, undefined],
    [CLOUD.env, CLOUD.service, undefined],
  ]);
  expect(cloud.calls[0].timeout).toBeLessThanOrEqual(15_000);
  // no wx.login, no POST /api/auth/login, no wx.request at all
  expect(wx.calls).toEqual([]);
});

test("the backend's errors arrive as the same ApiError; a body over 100 KB is refused before it is sent", async () => {
  const { cloud, api } = phone();
  await expect(api.request({ url: '/api/users/not-a-uuid' })).rejects.toMatchObject({ statusCode: 404, code: 'USER_NOT_FOUND' });
  const big = { nickname: '头'.repeat(40 * 1024) }; // 3 bytes each in UTF-8: 120 KB
  const err = (await api.request({ url: '/api/users/me', method: 'PUT', data: big }).catch((e: unknown) => e)) as ApiError;
  expect([err.statusCode, err.code]).toEqual([0, 'TOO_LARGE_FOR_CLOUD']);
  expect(messageOf(err)).toBe('内容太长，请删减后重试');
  expect(cloud.calls.map((c) => c.path)).toEqual(['/api/users/not-a-uuid']);
});

test('the avatar upload cannot go through callContainer: it is refused with what to use instead, and nothing is sent', async () => {
  const { wx, cloud, api } = phone();
  const err = (await api
    .uploadFile({ url: '/api/users/me/avatar', filePath: 'wxfile://tmp/avatar.png', name: 'avatar' })
    .catch((e: unknown) => e)) as ApiError;
  expect(err.code).toBe('NOT_VIA_CLOUD');
  expect(messageOf(err)).toBe('当前版本暂不支持上传文件，请联系开发者'); // what the user reads
  expect(err.message).toMatch(/wx\.uploadFile to an HTTPS domain of this backend .*config\.tokenOrigins.*wx\.cloud\.uploadFile/);
  expect([cloud.calls, wx.calls]).toEqual([[], []]);
});
