import request from 'supertest';
import type { SessionStore } from '../src/auth/session';
import { memoryLogger } from '../src/platform/log';
import { startTestApp, type TestApp } from './support/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The app's store, whose `get` fails with `err`. */
const storeThrowing = (err: Error): SessionStore => ({ ...t.store, get: () => Promise.reject(err) });

/** What a logged-in GET /api/auth/me answers with that store, and the error lines it logged. */
async function me(store: SessionStore) {
  const { token } = await t.login();
  const log = memoryLogger();
  const res = await request(t.appWith({ store, log }).callback()).get('/api/auth/me').set('Authorization', `JWT ${token}`);
  const errors = log.lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
  return { res, errors };
}

test('a store that went away is a 503 whose one log line says what caused it', async () => {
  const { res, errors } = await me(storeThrowing(new Error('connect ECONNREFUSED 127.0.0.1:6379')));
  expect([res.status, res.body.error.code]).toEqual([503, 'SESSION_STORE_UNAVAILABLE']);
  expect(errors).toHaveLength(1);
  expect(errors[0].msg).toBe('request failed');
  expect(errors[0].err.message).toContain('ECONNREFUSED'); // the cause, not only "Sessions are unavailable"
  expect(errors[0].err.stack).toContain('caused by: Error: connect ECONNREFUSED');
  expect(JSON.stringify(res.body)).not.toContain('ECONNREFUSED'); // the client gets the code, not the cause
});

test('a bug behind the store (a TypeError) is a 500 that the log calls a bug, not a 503 that blames the store', async () => {
  const { res, errors } = await me(storeThrowing(new TypeError("Cannot read properties of undefined (reading 'userId')")));
  expect([res.status, res.body.error.code]).toEqual([500, 'INTERNAL']);
  expect(errors).toHaveLength(1);
  expect(errors[0].msg).toBe('request failed: a bug in the code (500)');
  expect(errors[0].err.type).toBe('TypeError');
  expect(JSON.stringify(res.body)).not.toContain('userId');
});
