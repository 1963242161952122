import { warmUp } from '../src/platform/warm-up';
import { DbSessionStore } from '../src/stores/db-store';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test("the database store's warm-up runs a login's session queries in the rolled-back transaction: no session row is left", async () => {
  const { auth } = await t.login();
  const store = new DbSessionStore(t.prisma);
  const sessions = await t.prisma.session.count();
  const users = await t.prisma.user.count();
  let ran = 0;
  const counted = {
    get: (id: string) => store.get(id),
    warmUp: (...a: Parameters<DbSessionStore['warmUp']>) => (ran++, store.warmUp(...a)),
  };
  await warmUp({ prisma: t.prisma, store: counted });
  expect(ran).toBe(1);
  expect(await t.prisma.session.count()).toBe(sessions);
  expect(await t.prisma.session.count({ where: { id: { startsWith: 'warm-up-' } } })).toBe(0);
  expect(await t.prisma.user.count()).toBe(users);
  expect((await t.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
});

test("a new user's first session is stored without evicting (the store skips reading their others); a returning user at the cap still evicts", async () => {
  const store = new DbSessionStore(t.prisma);
  const user = await t.prisma.user.create({ data: { openid: `o_first_session_${Date.now()}` } });
  try {
    const now = Date.now();
    const record = { userId: user.id, payload: {}, sessionKey: 'k', data: {}, device: null };
    const at = (ms: number) => ({ ...record, expiresAt: now + 60_000, maxExpiresAt: now + 60_000, createdAt: ms, lastUsedAt: ms });
    expect(await store.create(`s1_${user.id}`, at(now), 1, true)).toEqual([]);
    expect(await store.create(`s2_${user.id}`, at(now + 1), 1)).toEqual([`s1_${user.id}`]);
    expect((await store.list(user.id)).map((s) => s.id)).toEqual([`s2_${user.id}`]);
  } finally {
    await t.prisma.user.delete({ where: { id: user.id } }); // its sessions go with it (onDelete: Cascade)
  }
});

test('a session reads back as it was stored, through get and through the list (which compares its dates in SQL)', async () => {
  const store = new DbSessionStore(t.prisma);
  const user = await t.prisma.user.create({ data: { openid: `o_round_trip_${Date.now()}` } });
  try {
    const now = Date.now();
    const record = {
      userId: user.id,
      payload: { userId: user.id, role: 'x' },
      sessionKey: 'k+/=',
      data: { cart: [1, '二'] },
      expiresAt: now + 60_000,
      maxExpiresAt: now + 120_000,
      createdAt: now - 1,
      lastUsedAt: now,
      device: 'iPhone',
    };
    expect(await store.create(`rt_${user.id}`, record, 5, true)).toEqual([]);
    expect(await store.get(`rt_${user.id}`)).toEqual(record);
    expect(await store.list(user.id)).toEqual([{ id: `rt_${user.id}`, record }]);
  } finally {
    await t.prisma.user.delete({ where: { id: user.id } });
  }
});
