import { createHash, randomBytes } from 'node:crypto';
import { PushCrypto } from '../src/wechat/push-crypto';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ push: true });
});
afterAll(() => t.close());

const sha1 = (...parts: string[]) => createHash('sha1').update(parts.sort().join('')).digest('hex');
const now = () => String(Math.floor(Date.now() / 1000));
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]);

/** A user with an avatar waiting for its verdict, and that verdict's event. */
async function pendingAvatar(suggest: 'pass' | 'risky' = 'pass') {
  const { auth, body, wxUser } = await t.login();
  await t.http().post('/api/users/me/avatar').set('Authorization', auth).attach('avatar', PNG, 'a.png');
  // the fake queues its own push of the verdict; the tests here send theirs instead
  const check = await t.prisma.mediaCheck.findFirstOrThrow({ where: { userId: body.user.id } });
  return { userId: body.user.id, check, message: t.fake.mediaCheckEvent(check.traceId, wxUser.openid, suggest) };
}

/** A safe-mode POST as WeChat makes it, with parts the test may spoil. */
function safePost(
  message: object,
  o: { timestamp?: string; appid?: string; token?: string; msgSignature?: string; encrypt?: string } = {},
) {
  const timestamp = o.timestamp ?? now();
  const nonce = randomBytes(6).toString('hex');
  const encrypt = o.encrypt ?? new PushCrypto(t.push!.aesKey, o.appid ?? t.appid).encrypt(JSON.stringify(message));
  const msgSignature = o.msgSignature ?? sha1(o.token ?? t.push!.token, timestamp, nonce, encrypt);
  const q = new URLSearchParams({
    signature: sha1(t.push!.token, timestamp, nonce),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    msg_signature: msgSignature,
  });
  return t
    .http()
    .post(`/api/wechat/push?${q}`)
    .set('content-type', 'application/json')
    .send(JSON.stringify({ ToUserName: 'gh_x', Encrypt: encrypt }));
}

/** Our ciphertext with its first byte flipped: CBC turns that into a garbled length field (deterministically). */
function damaged(message: object): string {
  const bytes = Buffer.from(new PushCrypto(t.push!.aesKey, t.appid).encrypt(JSON.stringify(message)), 'base64');
  bytes[0] ^= 0xff;
  return bytes.toString('base64');
}

const unchanged = async (userId: string, traceId: string) => {
  expect((await t.prisma.mediaCheck.findUniqueOrThrow({ where: { traceId } })).verdict).toBeNull();
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).avatarUrl).toBeNull();
};

test('URL verification (GET): echostr only for a matching signature', async () => {
  const timestamp = now();
  const good = new URLSearchParams({ signature: sha1(t.push!.token, timestamp, 'n1'), timestamp, nonce: 'n1', echostr: 'echo123' });
  const res = await t.http().get(`/api/wechat/push?${good}`);
  expect([res.status, res.text]).toEqual([200, 'echo123']);
  const bad = new URLSearchParams({ signature: sha1('wrong', timestamp, 'n1'), timestamp, nonce: 'n1', echostr: 'echo123' });
  const refused = await t.http().get(`/api/wechat/push?${bad}`);
  expect([refused.status, refused.body.error.code]).toEqual([401, 'BAD_SIGNATURE']);
  expect(refused.text).not.toContain('echo123');
});

test('a signed, encrypted verdict is applied and answered "success"', async () => {
  const { userId, check, message } = await pendingAvatar();
  const res = await safePost(message);
  expect([res.status, res.text]).toEqual([200, 'success']);
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).avatarUrl).toBe(`https://media.test/media/${check.fileName}`);
});

test('plain mode is refused, nothing changed: its body is not signed, so one seen URL could carry any body', async () => {
  const { userId, check, message } = await pendingAvatar();
  const timestamp = now();
  const q = new URLSearchParams({ signature: sha1(t.push!.token, timestamp, 'p1'), timestamp, nonce: 'p1' });
  const res = await t.http().post(`/api/wechat/push?${q}`).set('content-type', 'application/json').send(JSON.stringify(message));
  expect([res.status, res.body.error.code]).toEqual([400, 'PUSH_PLAIN_MODE']);
  await unchanged(userId, check.traceId);
});

test('refused with nothing changed: a bad msg_signature, another token, a stale or future timestamp, another AppID, damaged ciphertext', async () => {
  const { userId, check, message } = await pendingAvatar();
  const answers = [
    [await safePost(message, { msgSignature: '0'.repeat(40) }), 401, 'BAD_SIGNATURE'],
    [await safePost(message, { token: 'someoneElse' }), 401, 'BAD_SIGNATURE'],
    // 30 s past the 5-minute window each way: the server reads its clock later than this line, by over a second when loaded
    [await safePost(message, { timestamp: String(Math.floor(Date.now() / 1000) - 330) }), 401, 'STALE_TIMESTAMP'],
    [await safePost(message, { timestamp: String(Math.floor(Date.now() / 1000) + 330) }), 401, 'STALE_TIMESTAMP'],
    [await safePost(message, { appid: 'wxffffffffffffffff' }), 403, 'WRONG_APPID'],
    [await safePost({ ...message, appid: 'wxffffffffffffffff' }), 403, 'WRONG_APPID'],
    [await safePost(message, { encrypt: damaged(message) }), 400, 'BAD_PUSH'],
  ] as const;
  for (const [res, status, code] of answers) expect([res.status, res.body.error?.code]).toEqual([status, code]);
  await unchanged(userId, check.traceId);
  // the same push, untampered, still applies afterwards
  expect((await safePost(message)).text).toBe('success');
});

test('the same push replayed applies once (PushReceipt); a body over 64 KB is refused; XML asks for JSON', async () => {
  const { userId, check, message } = await pendingAvatar();
  expect((await safePost(message)).text).toBe('success');
  await t.prisma.user.update({ where: { id: userId }, data: { avatarUrl: 'https://media.test/media/changed-later.png' } });
  expect((await safePost(message)).text).toBe('success');
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: userId } })).avatarUrl).toBe('https://media.test/media/changed-later.png');
  expect(await t.prisma.pushReceipt.count({ where: { id: `trace:${check.traceId}` } })).toBe(1);

  const timestamp = now();
  const q = new URLSearchParams({ signature: sha1(t.push!.token, timestamp, 'b1'), timestamp, nonce: 'b1', encrypt_type: 'aes' });
  const big = await t
    .http()
    .post(`/api/wechat/push?${q}`)
    .set('content-type', 'application/json')
    .send(JSON.stringify({ pad: 'x'.repeat(70_000) }));
  expect([big.status, big.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  const xml = await t.http().post(`/api/wechat/push?${q}`).set('content-type', 'text/xml').send('<xml><Event>x</Event></xml>');
  expect([xml.status, xml.body.error.code]).toEqual([415, 'PUSH_FORMAT']);
});

test('unknown events are logged and acknowledged, changing nothing', async () => {
  // counted for this event only: other test files write receipts of their own into the same database
  const receipts = () => t.prisma.pushReceipt.count({ where: { event: 'user_authorization_revoke' } });
  const before = await receipts();
  const res = await safePost({
    ToUserName: 'gh_x',
    FromUserName: 'o_x',
    CreateTime: 1,
    MsgType: 'event',
    Event: 'user_authorization_revoke',
  });
  expect([res.status, res.text]).toEqual([200, 'success']);
  expect(await receipts()).toBe(before);
  const logged = t.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(logged.some((l) => l.msg === 'push: event not handled, acknowledged' && l.event === 'user_authorization_revoke')).toBe(true);
});

test('push is off while WX_PUSH_TOKEN / WX_PUSH_AES_KEY are unset: 503 PUSH_NOT_CONFIGURED, GET and POST', async () => {
  const off = await startTestApp();
  try {
    for (const res of [
      await off.http().get('/api/wechat/push?timestamp=1&nonce=1&echostr=x'),
      await off.http().post('/api/wechat/push').send({}),
    ]) {
      expect([res.status, res.body.error.code]).toEqual([503, 'PUSH_NOT_CONFIGURED']);
    }
  } finally {
    await off.close();
  }
});
