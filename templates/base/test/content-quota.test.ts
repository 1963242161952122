import { startTestApp, type TestApp } from './support/test-app';

/** Each content check spends the AppID's daily quota at WeChat: one user may not spend it all. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ contentChecksPerDay: 2 });
});
afterAll(() => t.close());

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

test('past CONTENT_CHECKS_PER_DAY a user gets 429 CONTENT_CHECK_LIMIT, WeChat is not asked; other users are not affected', async () => {
  const a = await t.login();
  const nickname = (auth: string, value: string) => t.http().put('/api/users/me').set('Authorization', auth).send({ nickname: value });
  expect((await nickname(a.auth, 'One')).status).toBe(200);
  expect((await nickname(a.auth, 'Two')).status).toBe(200);
  const calls = { text: t.fake.calls.msgSecCheck, media: t.fake.calls.mediaCheck };
  const third = await nickname(a.auth, 'Three');
  expect([third.status, third.body.error.code]).toEqual([429, 'CONTENT_CHECK_LIMIT']);
  expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
  const avatar = await t
    .http()
    .post('/api/users/me/avatar')
    .set('Authorization', a.auth)
    .attach('avatar', PNG, { filename: 'a.png', contentType: 'image/png' });
  expect([avatar.status, avatar.body.error.code]).toEqual([429, 'CONTENT_CHECK_LIMIT']);
  expect({ text: t.fake.calls.msgSecCheck, media: t.fake.calls.mediaCheck }).toEqual(calls);
  expect(t.uploads()).toEqual([]);
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: a.body.user.id } })).nickname).toBe('Two');

  const b = await t.login();
  expect((await nickname(b.auth, 'Other')).status).toBe(200);
});
