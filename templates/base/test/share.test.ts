import fs from 'node:fs';
import path from 'node:path';
import { LocalDiskStorage } from '../src/media/storage';
import { ShareCodes } from '../src/share/codes';
import { UrlLinks } from '../src/share/links';
import { SCENE, mintScene } from '../src/share/scene';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const DAY = 24 * 3600 * 1000;

function codes(o: { perDay?: number; state?: 'developer' | 'formal' } = {}) {
  const storage = new LocalDiskStorage(t.uploadDir, 'https://media.test');
  return new ShareCodes({
    prisma: t.prisma,
    wechat: t.wechat,
    storage,
    miniprogramState: o.state ?? 'formal',
    perDay: o.perDay ?? 50,
    log: t.log,
  });
}

const userId = async () => (await t.login()).body.user.id as string;
/** Parameters no other test uses, so that each test mints its own codes. */
const fresh = () => ({ id: Math.random().toString(36).slice(2) });

test('a minted scene: 10 letters and digits, inside WeChat’s set, never the same twice', () => {
  const scenes = new Set(Array.from({ length: 1000 }, mintScene));
  expect(scenes.size).toBe(1000);
  for (const s of scenes) expect(s).toMatch(/^[0-9A-Za-z]{10}$/);
  expect(SCENE.test('a'.repeat(32))).toBe(true);
  expect(SCENE.test('a'.repeat(33))).toBe(false);
  expect(SCENE.test('a%20b')).toBe(false);
});

test('same page + params → the same code; the image is fetched and stored once, and resolves back', async () => {
  const s = codes();
  const me = await userId();
  const params = { ...fresh(), from: 'poster' };
  const calls = t.fake.calls.wxacode;
  const filesBefore = t.uploads().length;
  const first = await s.create(me, 'pages/index/index', params);
  // the same parameters in another order, asked by another user: the same code
  const again = await s.create(await userId(), 'pages/index/index', { from: 'poster', id: params.id });
  expect(again).toEqual(first);
  expect(t.fake.calls.wxacode - calls).toBe(1);
  expect(t.uploads().length - filesBefore).toBe(1);
  expect(first.imageUrl).toMatch(/^https:\/\/media\.test\/media\/[0-9a-f]{32}\.png$/);
  const file = path.join(t.uploadDir, path.basename(first.imageUrl));
  expect(fs.readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
  expect(await s.resolve(first.scene)).toEqual(first);
  expect((await t.prisma.shareCode.findUnique({ where: { scene: first.scene } }))?.creatorId).toBe(me);
});

test('two requests for one new target at once still leave one code and one image', async () => {
  const s = codes();
  const me = await userId();
  const params = fresh();
  const filesBefore = t.uploads().length;
  const [a, b] = await Promise.all([s.create(me, 'pages/index/index', params), s.create(me, 'pages/index/index', params)]);
  expect(a).toEqual(b);
  expect(t.uploads().length - filesBefore).toBe(1);
});

test('unknown and malformed scenes are 404', async () => {
  const s = codes();
  for (const scene of ['ZZZZZZZZZZ', 'a'.repeat(33), 'a%20b', '', '中文'])
    await expect(s.resolve(scene)).rejects.toMatchObject({ status: 404, code: 'SCENE_NOT_FOUND' });
});

test('a page WeChat does not know is a clear 400; a JSON error or a broken image is never stored', async () => {
  const s = codes();
  const me = await userId();
  const filesBefore = t.uploads().length;
  await expect(s.create(me, 'pages/nowhere/nowhere', fresh())).rejects.toMatchObject({ status: 400, code: 'INVALID_PAGE' });
  await expect(s.create(me, '/pages/index/index', fresh())).rejects.toMatchObject({ status: 400, code: 'INVALID_PAGE' });
  await expect(s.create(me, 'pages/index/index?x=1', fresh())).rejects.toMatchObject({ status: 400, code: 'INVALID_PAGE' });
  await expect(s.create(me, 'pages/index/index', { 'bad key': 'x' })).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMS' });
  t.fake.codeAnswer = 'garbage';
  try {
    await expect(s.create(me, 'pages/index/index', fresh())).rejects.toMatchObject({ status: 502, code: 'WECHAT_BAD_RESPONSE' });
  } finally {
    t.fake.codeAnswer = 'png';
  }
  t.fake.failApi('/wxa/getwxacodeunlimit', { errcode: 45009 });
  try {
    await expect(s.create(me, 'pages/index/index', fresh())).rejects.toMatchObject({ status: 429, code: 'WECHAT_RATE_LIMITED' });
  } finally {
    t.fake.failApi('/wxa/getwxacodeunlimit', null);
  }
  expect(t.uploads().length).toBe(filesBefore);
  expect(await t.prisma.shareCode.count({ where: { creatorId: me } })).toBe(0);
});

test('outside the released version WeChat is not asked to check the page', async () => {
  const me = await userId();
  const code = await codes({ state: 'developer' }).create(me, 'pages/unreleased/unreleased', fresh());
  expect(code.page).toBe('pages/unreleased/unreleased');
});

test('a per-user limit stops one user minting codes in a loop; reusing a code is free', async () => {
  const s = codes({ perDay: 3 });
  const me = await userId();
  const kept = await s.create(me, 'pages/index/index', fresh());
  await s.create(me, 'pages/index/index', fresh());
  await s.create(me, 'pages/index/index', fresh());
  await expect(s.create(me, 'pages/index/index', fresh())).rejects.toMatchObject({ status: 429, code: 'SHARE_LIMIT' });
  expect(await s.create(me, kept.page, kept.params)).toEqual(kept);
  await s.create(await userId(), 'pages/index/index', fresh()); // another user is not held back
});

describe('URL links', () => {
  let now = Date.now();
  const links = (days = 30, perDay = 50) =>
    new UrlLinks({ prisma: t.prisma, wechat: t.wechat, miniprogramState: 'formal', days, perDay, now: () => new Date(now) });

  test('reused while more than a quarter of its life is left, then replaced, never handed out expired', async () => {
    const me = await userId();
    const query = `id=${Math.random().toString(36).slice(2)}`;
    now = Date.now();
    const calls = t.fake.calls.urllink;
    const first = await links().create(me, 'pages/index/index', query);
    expect(first.url).toMatch(/^https:\/\/wxaurl\.cn\//);
    expect(first.expiresAt.getTime()).toBe(now + 30 * DAY);
    // WeChat's link lives at least as long as we say
    expect(t.fake.urlLinks.get(first.url)).toBeGreaterThanOrEqual(first.expiresAt.getTime());
    now += 20 * DAY;
    expect(await links().create(me, 'pages/index/index', query)).toEqual(first);
    expect(t.fake.calls.urllink - calls).toBe(1);
    now += 3 * DAY; // 7 days left of 30: time for a new one
    const second = await links().create(me, 'pages/index/index', query);
    expect(second.url).not.toBe(first.url);
    expect(second.expiresAt.getTime()).toBe(now + 30 * DAY);
    now += 40 * DAY; // long expired: a new one again
    const third = await links().create(me, 'pages/index/index', query);
    expect(third.expiresAt.getTime()).toBeGreaterThan(now);
    expect(t.fake.calls.urllink - calls).toBe(3);
  });

  test('bad pages and queries are clear 400s', async () => {
    const me = await userId();
    await expect(links().create(me, 'pages/nowhere/nowhere', '')).rejects.toMatchObject({ status: 400, code: 'INVALID_PAGE' });
    await expect(links().create(me, '/pages/index/index', '')).rejects.toMatchObject({ status: 400, code: 'INVALID_PAGE' });
    await expect(links().create(me, 'pages/index/index', 'x'.repeat(1025))).rejects.toMatchObject({ status: 400, code: 'INVALID_QUERY' });
  });
});

describe('routes', () => {
  test('POST /api/share/codes → a scene that GET /api/share/scenes/:scene resolves (without a login); the image is served', async () => {
    const { auth } = await t.login();
    expect((await t.http().post('/api/share/codes').send({ page: 'pages/index/index' })).status).toBe(401);
    const params = fresh();
    const made = await t.http().post('/api/share/codes').set('Authorization', auth).send({ page: 'pages/index/index', params });
    expect(made.status).toBe(200);
    expect(made.body).toEqual({
      scene: expect.stringMatching(/^[0-9A-Za-z]{10}$/),
      page: 'pages/index/index',
      params,
      imageUrl: expect.any(String),
    });
    // as the Mini Program passes it: decodeURIComponent(options.scene)
    const resolved = await t.http().get(`/api/share/scenes/${encodeURIComponent(made.body.scene)}`);
    expect([resolved.status, resolved.body]).toEqual([200, made.body]);
    expect((await t.http().get('/api/share/scenes/nope')).status).toBe(404);
    expect((await t.http().get(`/api/share/scenes/${'a'.repeat(40)}`)).body.error.code).toBe('SCENE_NOT_FOUND');
    const bad = await t.http().post('/api/share/codes').set('Authorization', auth).send({ page: 'pages/nowhere/nowhere' });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'INVALID_PAGE']);
  });

  test('POST /api/share/links → a URL link and its expiry', async () => {
    const { auth } = await t.login();
    const res = await t.http().post('/api/share/links').set('Authorization', auth).send({ page: 'pages/index/index', query: 'from=sms' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ url: expect.stringMatching(/^https:\/\/wxaurl\.cn\//), expiresAt: expect.any(String) });
    expect(Date.parse(res.body.expiresAt)).toBeGreaterThan(Date.now() + 29 * DAY);
  });
});
