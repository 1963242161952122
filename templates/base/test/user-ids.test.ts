import { randomUUID } from 'node:crypto';
import { startTestApp, type TestApp } from './support/test-app';

/** `GET /api/users/:id` is public to every user: an id must tell neither how many users there are nor their order. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('users created one after another get random UUIDs (v4, not a counter, not time-ordered like v7): an unknown UUID is 404', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await t.login()).body.user.id);
  for (const id of ids) expect(id).toMatch(UUID_V4);
  expect(new Set(ids).size).toBe(ids.length);
  const viewer = await t.login();
  for (const id of ids) expect((await t.http().get(`/api/users/${id}`).set('Authorization', viewer.auth)).status).toBe(200);
  const unknown = await t.http().get(`/api/users/${randomUUID()}`).set('Authorization', viewer.auth);
  expect(unknown.status).toBe(404);
  expect(unknown.body.error.code).toBe('USER_NOT_FOUND');
});
