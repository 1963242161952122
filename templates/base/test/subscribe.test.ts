import { Subscriptions } from '../src/subscribe/subscriptions';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t.close();
});

const TEMPLATE = 'tmpl_review_0123456789';
const verdict = { phrase1: '审核通过', thing2: '新头像', time3: '2026年12月4日 20:30' };

/** The subscriptions of this test app, with the reviewResult template configured. */
function subscriptions(templateIds: Record<string, string> = { reviewResult: TEMPLATE }) {
  return new Subscriptions({ prisma: t.prisma, wechat: t.wechat, templateIds, miniprogramState: 'trial', log: t.log });
}

/** A logged-in user who answered wx.requestSubscribeMessage with `accept` `times` times (WeChat and we both saw it). */
async function grantedUser(s: Subscriptions, times = 1) {
  const { body, wxUser } = await t.login();
  for (let i = 0; i < times; i++) {
    t.fake.acceptSubscription(wxUser.openid, TEMPLATE);
    await s.record(body.user.id, { [TEMPLATE]: 'accept' });
  }
  return { userId: body.user.id as string, openid: wxUser.openid };
}

test('each accept is one send; the message carries the data, page and miniprogram_state', async () => {
  const s = subscriptions();
  const { userId, openid } = await grantedUser(s);
  const before = t.fake.subscribeMessages.length;
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: true });
  expect(t.fake.subscribeMessages.slice(before)).toEqual([
    {
      touser: openid,
      template_id: TEMPLATE,
      page: 'pages/profile/profile',
      miniprogram_state: 'trial',
      lang: 'zh_CN',
      data: { phrase1: { value: '审核通过' }, thing2: { value: '新头像' }, time3: { value: '2026年12月4日 20:30' } },
    },
  ]);
  // the one credit is used: the next send is refused here, without asking WeChat
  const calls = t.fake.calls.subscribeSend;
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: false, reason: 'no-credit' });
  expect(t.fake.calls.subscribeSend).toBe(calls);
});

test('reject, ban, filter and unknown template ids add nothing', async () => {
  const s = subscriptions();
  const { body } = await t.login();
  const answer = { [TEMPLATE]: 'reject', other_template: 'accept', errMsg: 'requestSubscribeMessage:ok' };
  expect(await s.record(body.user.id, answer)).toEqual({ accepted: [], credits: { reviewResult: 0 } });
  expect(await s.record(body.user.id, { [TEMPLATE]: 'ban' })).toEqual({ accepted: [], credits: { reviewResult: 0 } });
  expect(await s.record(body.user.id, { [TEMPLATE]: 'accept' })).toEqual({ accepted: ['reviewResult'], credits: { reviewResult: 1 } });
  expect(await s.record(body.user.id, { [TEMPLATE]: 'accept' })).toEqual({ accepted: ['reviewResult'], credits: { reviewResult: 2 } });
});

test('two sends at once with one credit: one is sent, one is refused, WeChat is asked once', async () => {
  const s = subscriptions();
  for (let trial = 0; trial < 3; trial++) {
    const { userId } = await grantedUser(s);
    const calls = t.fake.calls.subscribeSend;
    const results = await Promise.all([s.notify(userId, 'reviewResult', verdict), s.notify(userId, 'reviewResult', verdict)]);
    expect(results).toEqual(expect.arrayContaining([{ sent: true }, { sent: false, reason: 'no-credit' }]));
    expect(t.fake.calls.subscribeSend - calls).toBe(1);
  }
});

test("43101 (the user's consent is gone though we counted some) forgets the user's credits for the template", async () => {
  const s = subscriptions();
  const { userId } = await grantedUser(s);
  // two more accepts that WeChat never saw (e.g. the client posted more than the user granted)
  await s.record(userId, { [TEMPLATE]: 'accept' });
  await s.record(userId, { [TEMPLATE]: 'accept' });
  expect(await s.credits.count(userId, TEMPLATE)).toBe(3);
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: true });
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: false, reason: 'refused' });
  expect(await s.credits.count(userId, TEMPLATE)).toBe(0);
});

test('a value WeChat would refuse is named and never sent, and the credit stays', async () => {
  const s = subscriptions();
  const { userId } = await grantedUser(s);
  const calls = t.fake.calls.subscribeSend;
  const tooLong = await s.notify(userId, 'reviewResult', { ...verdict, thing2: '这是一个超过二十个字符的昵称审核内容说明文字' });
  expect(tooLong).toEqual({
    sent: false,
    reason: 'invalid-value',
    field: 'thing2',
    message: expect.stringMatching(/thing2 \(thing\) must be at most 20 characters/),
  });
  const badPhrase = await s.notify(userId, 'reviewResult', { ...verdict, phrase1: 'passed' });
  expect(badPhrase).toMatchObject({ reason: 'invalid-value', field: 'phrase1' });
  expect(t.fake.calls.subscribeSend).toBe(calls);
  expect(await s.credits.count(userId, TEMPLATE)).toBe(1);
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: true });
});

test('a failed send gives the credit back; a template without an id is off', async () => {
  const s = subscriptions();
  const { userId } = await grantedUser(s);
  t.fake.failApi('/cgi-bin/message/subscribe/send', { errcode: -1 });
  try {
    await expect(s.notify(userId, 'reviewResult', verdict)).rejects.toMatchObject({ code: 'WECHAT_BUSY' });
  } finally {
    t.fake.failApi('/cgi-bin/message/subscribe/send', null);
  }
  expect(await s.credits.count(userId, TEMPLATE)).toBe(1);
  expect(await s.notify(userId, 'reviewResult', verdict)).toEqual({ sent: true });
  expect(await subscriptions({}).notify(userId, 'reviewResult', verdict)).toEqual({ sent: false, reason: 'not-configured' });
});

describe('routes', () => {
  let h: TestApp;
  beforeAll(async () => {
    h = await startTestApp({ env: { WX_TEMPLATE_REVIEW_RESULT: TEMPLATE } });
  });
  afterAll(() => h.close());

  test('GET /api/subscriptions: the templates to ask for and my credits; POST records the answer', async () => {
    expect((await h.http().get('/api/subscriptions')).status).toBe(401);
    const { auth } = await h.login();
    const overview = await h.http().get('/api/subscriptions').set('Authorization', auth);
    expect(overview.body).toEqual({ templates: { reviewResult: TEMPLATE }, credits: { reviewResult: 0 } });
    const answer = { [TEMPLATE]: 'accept', errMsg: 'requestSubscribeMessage:ok' };
    const recorded = await h.http().post('/api/subscriptions').set('Authorization', auth).send({ answer });
    expect([recorded.status, recorded.body]).toEqual([200, { accepted: ['reviewResult'], credits: { reviewResult: 1 } }]);
    expect((await h.http().get('/api/subscriptions').set('Authorization', auth)).body.credits).toEqual({ reviewResult: 1 });
  });

  test('a malformed answer is one clear 400', async () => {
    const { auth } = await h.login();
    const res = await h.http().post('/api/subscriptions').set('Authorization', auth).send({ answer: 'accept' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/answer/);
  });
});
