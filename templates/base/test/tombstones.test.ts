import request from 'supertest';
import type { SessionRecord, SessionStore } from '../src/auth/session';
import { Tombstones } from '../src/auth/tombstones';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ sessionCacheMs: 0 });
});
afterAll(() => t.close());

test('a revoked token stays refused, even by a store that still returns its session (a replica that lags), and after a step of the wall clock', async () => {
  const stale = new Map<string, SessionRecord>();
  const lagging: SessionStore = {
    ...t.store,
    async get(id) {
      const record = await t.store.get(id);
      if (record) stale.set(id, record);
      return record ?? stale.get(id) ?? null; // what it read before the logout
    },
  };
  const realNow = Date.now;
  let step = 0;
  const wall = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + step); // before JwtAuth takes its clock
  try {
    const app = t.appWith({ store: lagging }); // one instance: the logout and the requests after it
    const http = () => request(app.callback());
    const { auth } = await t.login();
    expect((await http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
    expect((await http().post('/api/auth/logout').set('Authorization', auth)).status).toBe(204);
    for (const stepMs of [0, 0, 11 * 60_000]) {
      step = stepMs; // last: an NTP correction past the tombstones' 10 minutes
      const after = await http().get('/api/auth/me').set('Authorization', auth);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHORIZED');
    }
  } finally {
    wall.mockRestore();
  }
});

test('tombstones: kept their ttl, the oldest forgotten past the bound, and none held before the first removal', () => {
  let clock = 1_000_000;
  const removed = new Tombstones(60_000, 3, () => clock);
  expect(removed.size).toBe(0);
  for (const id of ['a', 'b', 'c']) removed.add(id);
  expect(['a', 'b', 'c', 'x'].map((id) => removed.has(id))).toEqual([true, true, true, false]);

  removed.add('a'); // removed again: now the newest
  removed.add('d'); // past the bound: the oldest ('b') goes
  expect(['a', 'b', 'c', 'd'].map((id) => removed.has(id))).toEqual([true, false, true, true]);
  expect(removed.size).toBe(3);

  clock += 59_999;
  expect(removed.has('c')).toBe(true);
  clock += 1;
  expect(['a', 'c', 'd'].map((id) => removed.has(id))).toEqual([false, false, false]);
  removed.add('e'); // the expired are dropped as new ones come
  expect(removed.size).toBe(1);
});

test('a step of the wall clock (an NTP correction of an hour) does not forget a tombstone before its ttl', () => {
  const realNow = Date.now;
  let step = 0;
  const wall = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + step);
  try {
    const removed = new Tombstones(60_000, 10); // the clock JwtAuth gives it
    removed.add('x');
    step = 3_600_000;
    expect(removed.has('x')).toBe(true);
  } finally {
    wall.mockRestore();
  }
});
