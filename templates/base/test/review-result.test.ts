import { startTestApp, type TestApp } from './support/test-app';

const TEMPLATE = 'tmpl_review_result_test';
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ push: true, env: { WX_TEMPLATE_REVIEW_RESULT: TEMPLATE } });
});
afterAll(() => t.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(16)]);

/** A user who uploads an avatar that WeChat will judge `verdict`, having allowed the reviewResult message or not. */
async function upload(allowed: boolean, verdict: 'pass' | 'risky' | 'review') {
  const { auth, wxUser } = await t.login();
  t.fake.mediaVerdicts.push(verdict); // what WeChat will decide of the next image
  if (allowed) {
    t.fake.acceptSubscription(wxUser.openid, TEMPLATE);
    const res = await t
      .http()
      .post('/api/subscriptions')
      .set('Authorization', auth)
      .send({ answer: { [TEMPLATE]: 'accept' } });
    expect(res.body).toEqual({ accepted: ['reviewResult'], credits: { reviewResult: 1 } });
  }
  const res = await t.http().post('/api/users/me/avatar').set('Authorization', auth).attach('avatar', PNG, 'a.png');
  expect(res.status).toBe(200);
  return wxUser.openid;
}

const sentTo = (openid: string) => t.fake.subscribeMessages.filter((m) => m.touser === openid);
/** The message goes out after the push is answered (WeChat waits 5 s at most): wait for the app's log line of it. */
async function settled(users: number) {
  for (let i = 0; i < 100 && t.log.lines.filter((l) => l.includes('subscribe message: review result')).length < users; i++)
    await new Promise((r) => setTimeout(r, 20));
}

test("the avatar's verdict arriving by push is sent to a user who allowed it, once", async () => {
  const openid = await upload(true, 'pass');
  const [delivery] = await t.fake.deliverPushes();
  expect([delivery.status, delivery.body]).toEqual([200, 'success']);
  await settled(1);
  expect(sentTo(openid)).toEqual([
    expect.objectContaining({
      template_id: TEMPLATE,
      page: 'pages/profile/profile',
      data: {
        phrase1: { value: '审核通过' },
        thing2: { value: '新头像' },
        time3: { value: expect.stringMatching(/^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/) },
      },
    }),
  ]);
});

test('a risky verdict says so; a user who did not allow it gets nothing; review is not final', async () => {
  const risky = await upload(true, 'risky');
  const silent = await upload(false, 'pass');
  const waiting = await upload(true, 'review');
  await t.fake.deliverPushes();
  await settled(2); // risky and the silent pass are logged; review is not final: nothing to send or log
  expect(sentTo(risky).map((m) => (m.data as Record<string, { value: string }>).phrase1.value)).toEqual(['未通过']);
  expect(sentTo(silent)).toEqual([]);
  expect(sentTo(waiting)).toEqual([]);
});
