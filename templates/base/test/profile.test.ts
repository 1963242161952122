import { createHash, randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ push: true });
});
afterAll(() => t.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 2)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 '), Buffer.alloc(64, 3)]);

const me = (auth: string) => t.http().get('/api/auth/me').set('Authorization', auth);
const seenByOthers = async (viewer: string, id: string) => (await t.http().get(`/api/users/${id}`).set('Authorization', viewer)).body.user;
const nickname = (auth: string, value: unknown) => t.http().put('/api/users/me').set('Authorization', auth).send({ nickname: value });
const upload = (auth: string, bytes: Buffer, filename = 'avatar.png', field = 'avatar') =>
  t.http().post('/api/users/me/avatar').set('Authorization', auth).attach(field, bytes, { filename, contentType: 'image/png' });

describe('nickname (PUT /api/users/me)', () => {
  test('pass: stored, and what the client reads says nothing is pending; WeChat got v2, scene 1 and the openid', async () => {
    const { auth, body, wxUser } = await t.login();
    const res = await nickname(auth, '  小明  ');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: body.user.id, nickname: '小明', nicknamePending: false, avatarPending: false });
    expect(t.fake.secChecks.at(-1)).toEqual({ content: '小明', version: 2, scene: 1, openid: wxUser.openid });
    expect((await me(auth)).body.user.nickname).toBe('小明');
    const viewer = await t.login();
    expect(await seenByOthers(viewer.auth, body.user.id)).toEqual({ id: body.user.id, nickname: '小明', avatarUrl: null });
  });

  test('review: its owner sees it marked pending; others keep seeing the previous one', async () => {
    const { auth, body } = await t.login();
    await nickname(auth, 'Old name');
    t.fake.textVerdicts.set('Borderline', 'review');
    const res = await nickname(auth, 'Borderline');
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ nickname: 'Borderline', nicknamePending: true });
    expect((await me(auth)).body.user).toMatchObject({ nickname: 'Borderline', nicknamePending: true });
    const viewer = await t.login();
    expect((await seenByOthers(viewer.auth, body.user.id)).nickname).toBe('Old name');
  });

  test('risky: 422 CONTENT_REJECTED and nothing stored', async () => {
    const { auth, body } = await t.login();
    await nickname(auth, 'Fine');
    t.fake.textVerdicts.set('Forbidden', 'risky');
    const res = await nickname(auth, 'Forbidden');
    expect([res.status, res.body.error.code]).toEqual([422, 'CONTENT_REJECTED']);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
    expect([row.nickname, row.nicknamePending]).toEqual(['Fine', null]);
  });

  test('WeChat down, slow or answering nonsense: 503 and nothing stored; 61010 (not in the app for 2 hours) has its own answer', async () => {
    const { auth, body, wxUser } = await t.login();
    for (const failure of [{ errcode: -1 }, 'html', { errcode: 40003 }] as const) {
      t.fake.failApi('/wxa/msg_sec_check', failure);
      const res = await nickname(auth, 'Never stored');
      expect([res.status, res.body.error.code]).toEqual([503, 'CONTENT_CHECK_UNAVAILABLE']);
    }
    t.fake.failApi('/wxa/msg_sec_check', null);
    t.fake.inactive.add(wxUser.openid);
    const inactive = await nickname(auth, 'Never stored');
    expect([inactive.status, inactive.body.error.code]).toEqual([409, 'WECHAT_USER_INACTIVE']);
    t.fake.inactive.delete(wxUser.openid);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
    expect([row.nickname, row.nicknamePending]).toEqual([null, null]);
  });

  test.each([
    ['empty', ''],
    ['only spaces', '   '],
    ['33 characters', 'x'.repeat(33)],
    ['a control character', 'a\u0000b'],
    ['a zero-width space', 'ad\u200bmin'],
    ['a right-to-left override', 'abc\u202edef'],
    ['not a string', 42],
  ])('refused before WeChat is asked: %s', async (_what, value) => {
    const { auth } = await t.login();
    const before = t.fake.calls.msgSecCheck;
    const res = await nickname(auth, value);
    expect(res.status).toBe(400);
    expect(t.fake.calls.msgSecCheck).toBe(before);
  });

  test('32 characters counted as characters (emoji are one each), and login required', async () => {
    const { auth } = await t.login();
    expect((await nickname(auth, '😀'.repeat(32))).status).toBe(200);
    expect((await t.http().put('/api/users/me').send({ nickname: 'x' })).status).toBe(401);
  });
});

describe('avatar (POST /api/users/me/avatar) and its verdict by message push', () => {
  test('pass: pending for everyone but its owner until WeChat pushes its verdict, then everyone sees it', async () => {
    const { auth, body, wxUser } = await t.login();
    const viewer = await t.login();
    const res = await upload(auth, PNG);
    expect(res.status).toBe(200);
    const url: string = res.body.user.avatarUrl;
    expect(url).toMatch(/^https:\/\/media\.test\/media\/[0-9a-f]{32}\.png$/);
    expect(res.body.user.avatarPending).toBe(true);
    expect(t.fake.secChecks.at(-1)).toEqual({ media_url: url, media_type: 2, version: 2, scene: 1, openid: wxUser.openid });
    const file = url.slice(url.lastIndexOf('/') + 1);
    expect(t.uploads()).toContain(file);
    expect((await seenByOthers(viewer.auth, body.user.id)).avatarUrl).toBeNull();

    const [delivered] = await t.fake.deliverPushes();
    expect([delivered.status, delivered.body]).toEqual([200, 'success']);
    expect((await me(auth)).body.user).toMatchObject({ avatarUrl: url, avatarPending: false });
    expect((await seenByOthers(viewer.auth, body.user.id)).avatarUrl).toBe(url);
  });

  test('risky: the file is deleted and the previous avatar comes back, for its owner too', async () => {
    const { auth, body } = await t.login();
    const first = (await upload(auth, JPEG, 'me.jpg')).body.user.avatarUrl;
    await t.fake.deliverPushes();
    t.fake.mediaVerdicts.push('risky');
    const second = (await upload(auth, WEBP, 'me.webp')).body.user.avatarUrl;
    expect(second).toMatch(/\.webp$/);
    expect(t.uploads()).toContain(second.slice(second.lastIndexOf('/') + 1));
    await t.fake.deliverPushes();
    expect(t.uploads()).not.toContain(second.slice(second.lastIndexOf('/') + 1));
    expect((await me(auth)).body.user).toMatchObject({ avatarUrl: first, avatarPending: false });
    const viewer = await t.login();
    expect((await seenByOthers(viewer.auth, body.user.id)).avatarUrl).toBe(first);
  });

  test('review: stays pending (its owner sees it, others do not)', async () => {
    const { auth, body } = await t.login();
    t.fake.mediaVerdicts.push('review');
    const url = (await upload(auth, PNG)).body.user.avatarUrl;
    await t.fake.deliverPushes();
    expect((await me(auth)).body.user).toMatchObject({ avatarUrl: url, avatarPending: true });
    const viewer = await t.login();
    expect((await seenByOthers(viewer.auth, body.user.id)).avatarUrl).toBeNull();
  });

  test('the same verdict pushed twice applies once; a newer upload supersedes (and deletes) one still pending', async () => {
    const { auth, wxUser } = await t.login();
    const old = (await upload(auth, PNG)).body.user.avatarUrl;
    const newer = (await upload(auth, JPEG, 'x.jpg')).body.user.avatarUrl;
    expect(t.uploads()).not.toContain(old.slice(old.lastIndexOf('/') + 1));
    const { traceId: traceOld } = await t.prisma.mediaCheck.findFirstOrThrow({ where: { fileName: old.slice(old.lastIndexOf('/') + 1) } });
    const pushes = await t.fake.deliverPushes();
    expect(pushes.map((p) => p.status)).toEqual([200, 200]);
    expect((await me(auth)).body.user).toMatchObject({ avatarUrl: newer, avatarPending: false });
    // the superseded upload's verdict changed nothing
    expect((await t.prisma.mediaCheck.findUniqueOrThrow({ where: { traceId: traceOld } })).verdict).toBe('superseded');

    // WeChat retries: the same trace_id, now risky, changes nothing
    const check = await t.prisma.mediaCheck.findFirstOrThrow({ where: { fileName: newer.slice(newer.lastIndexOf('/') + 1) } });
    const replay = await t.fake.push(t.fake.mediaCheckEvent(check.traceId, wxUser.openid, 'risky'));
    expect([replay.status, replay.body]).toEqual([200, 'success']);
    expect((await me(auth)).body.user).toMatchObject({ avatarUrl: newer, avatarPending: false });
    expect(t.uploads()).toContain(newer.slice(newer.lastIndexOf('/') + 1));
  });

  test('a PNG named .jpg is stored as PNG; a text file named .png, an empty or a 3 MB upload are refused, nothing stored', async () => {
    const { auth, body } = await t.login();
    const renamed = await upload(auth, PNG, 'photo.jpg');
    expect(renamed.body.user.avatarUrl).toMatch(/\.png$/);
    const files = t.uploads();
    const checks = t.fake.calls.mediaCheck;
    const text = await upload(auth, Buffer.from('just text, not an image'), 'evil.png');
    expect([text.status, text.body.error.code]).toEqual([415, 'UNSUPPORTED_IMAGE']);
    const big = await upload(auth, Buffer.concat([PNG, Buffer.alloc(3 * 1024 * 1024)]));
    expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const empty = await upload(auth, Buffer.alloc(0));
    expect(empty.status).toBe(400);
    const wrongField = await upload(auth, PNG, 'a.png', 'file');
    expect([wrongField.status, wrongField.body.error.code]).toEqual([400, 'BAD_MULTIPART']);
    const json = await t.http().post('/api/users/me/avatar').set('Authorization', auth).send({ avatar: 'x' });
    expect(json.status).toBe(415);
    expect(t.uploads()).toEqual(files);
    expect(t.fake.calls.mediaCheck).toBe(checks);
    expect((await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } })).avatarPending).toBe(renamed.body.user.avatarUrl);
  });

  test('a path in the file name is ignored: the file gets a random name inside the upload folder', async () => {
    const { auth } = await t.login();
    const res = await upload(auth, PNG, '../../../../tmp/owned.png');
    expect(res.status).toBe(200);
    expect(res.body.user.avatarUrl).toMatch(/\/media\/[0-9a-f]{32}\.png$/);
    expect(res.body.user.avatarUrl).not.toContain('owned');
    const name = res.body.user.avatarUrl.split('/').pop();
    expect(t.uploads()).toContain(name);
  });

  test('WeChat failing at media_check_async: 503, the file deleted, the user unchanged', async () => {
    const { auth, body } = await t.login();
    const files = t.uploads();
    for (const failure of [{ errcode: -1 }, 'html'] as const) {
      t.fake.failApi('/wxa/media_check_async', failure);
      const res = await upload(auth, PNG);
      expect([res.status, res.body.error.code]).toEqual([503, 'CONTENT_CHECK_UNAVAILABLE']);
    }
    t.fake.failApi('/wxa/media_check_async', null);
    expect(t.uploads()).toEqual(files);
    const row = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
    expect([row.avatarUrl, row.avatarPending]).toEqual([null, null]);
    expect(await t.prisma.mediaCheck.count({ where: { userId: body.user.id } })).toBe(0);
  });

  test('the app serves a stored file at its /media/ URL (development), with the stored bytes and a long cache', async () => {
    const { auth } = await t.login();
    const url: string = (await upload(auth, WEBP)).body.user.avatarUrl;
    const res = await t.http().get(new URL(url).pathname).buffer(true);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/webp');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(
      createHash('sha256')
        .update(res.body as Buffer)
        .digest('hex'),
    ).toBe(createHash('sha256').update(WEBP).digest('hex'));
    expect((await t.http().get('/media/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    await t.fake.deliverPushes();
  });

  test('GET /api/users/:id: login required, 404 for unknown or malformed ids, never the phone', async () => {
    const { auth, body } = await t.login();
    await t.prisma.user.update({ where: { id: body.user.id }, data: { phone: '13900000000' } });
    expect((await t.http().get(`/api/users/${body.user.id}`)).status).toBe(401);
    const viewer = await t.login();
    const seen = await t.http().get(`/api/users/${body.user.id}`).set('Authorization', viewer.auth);
    expect(Object.keys(seen.body.user).sort()).toEqual(['avatarUrl', 'id', 'nickname']);
    const malformed = [
      '1',
      '999999999',
      'abc',
      `${body.user.id}x`,
      `${body.user.id.slice(0, -1)}g`,
      "' OR 1=1 --",
      body.user.id.toUpperCase(),
    ]; // upper case: 404 on every database
    const lookUp = (id: string) =>
      t
        .http()
        .get(`/api/users/${encodeURIComponent(id)}`)
        .set('Authorization', auth);
    for (const id of [randomUUID(), ...malformed]) {
      const res = await lookUp(id);
      expect([res.status, res.body.error?.code]).toEqual([404, 'USER_NOT_FOUND']);
    }
  });
});
