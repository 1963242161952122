import request from 'supertest';
import { createApp } from '../src/app';
import type { SessionRecord, SessionStore } from '../src/auth/session';
import { memoryLogger } from '../src/platform/log';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The app's store, where a `get` can be held after it read the session: a load still in flight. */
function storeWithHeldGet(inner: SessionStore) {
  let hold: Promise<void> | null = null;
  let reached: () => void = () => {};
  const store: SessionStore = {
    ...inner,
    async get(id: string): Promise<SessionRecord | null> {
      const record = await inner.get(id);
      if (hold) {
        const held = hold;
        hold = null;
        reached();
        await held;
      }
      return record;
    },
  };
  /** The next `get` reads the session, then waits for `release()`; resolves once it is waiting. */
  const holdNext = () => {
    let release!: () => void;
    hold = new Promise<void>((r) => (release = r));
    return { waiting: new Promise<void>((r) => (reached = r)), release };
  };
  return { store, holdNext };
}

test('logout wins over a request whose session load was in flight: the token is refused at once (SESSION_CACHE_MS=2000)', async () => {
  for (let trial = 0; trial < 5; trial++) {
    const { store, holdNext } = storeWithHeldGet(t.store);
    const app = createApp({ ...t.deps, store, limiter: undefined, sessionCacheMs: 2000, log: memoryLogger() });
    const http = () => request(app.callback());
    const { auth } = await t.login();

    const held = holdNext();
    const inFlight = http()
      .get('/api/auth/me')
      .set('Authorization', auth)
      .then((r) => r);
    await held.waiting; // the in-flight request has read the session and not yet finished loading it
    expect((await http().post('/api/auth/logout').set('Authorization', auth)).status).toBe(204);
    held.release();
    await inFlight; // it started before the logout: whatever it answers, it must not bring the session back

    const after = await http().get('/api/auth/me').set('Authorization', auth);
    expect(after.status).toBe(401);
    expect(after.body.error.code).toBe('UNAUTHORIZED');
  }
});
