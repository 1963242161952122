import { spawn } from 'node:child_process';
import path from 'node:path';
import supertest from 'supertest';
import { twinDatabaseUrl } from '../scripts/reset-database';
import { createPrisma } from '../src/db';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';
import { APP_SECRET, JWT_SECRET, startTestApp, type TestApp } from './support/test-app';

const readyz = (app: ReturnType<TestApp['appWith']>) => supertest(app.callback()).get('/readyz');

/**
 * A database the operator must fix is not "a database that does not answer": never migrated, /readyz
 * says so and names the command; wrong credentials say "access denied". The start-up log says it once.
 */
let t: TestApp;
const emptyUrl = twinDatabaseUrl(testDatabaseUrl(), '_empty');
const isSqlite = emptyUrl.startsWith('file:');
beforeAll(async () => {
  t = await startTestApp();
  await resetDatabase(emptyUrl, []); // created (and marked as the tests'), never migrated
});
afterAll(async () => {
  await t.close();
  await dropDatabase(emptyUrl);
});

test('a database with no tables: /readyz is 503 DATABASE_NOT_MIGRATED and names the command that migrates it', async () => {
  const prisma = createPrisma(emptyUrl);
  try {
    expect((await t.http().get('/readyz')).status).toBe(200); // the migrated test database, for contrast
    const unmigrated = await readyz(t.appWith({ prisma }));
    expect(unmigrated.status).toBe(503);
    expect(unmigrated.body.error).toEqual({ code: 'DATABASE_NOT_MIGRATED', message: expect.stringContaining('prisma migrate deploy') });
  } finally {
    await prisma.$disconnect();
  }
});

test('a database with no tables: a login and a profile answer 503 DATABASE_NOT_MIGRATED with the command, not "does not answer"', async () => {
  const prisma = createPrisma(emptyUrl);
  try {
    const app = supertest(t.appWith({ prisma }).callback());
    const notMigrated = { code: 'DATABASE_NOT_MIGRATED', message: expect.stringContaining('prisma migrate deploy') };
    const login = await app.post('/api/auth/login').send({ code: t.fake.newLogin().code });
    expect(login.status).toBe(503);
    expect(login.body.error).toEqual(notMigrated);
    const { auth, body } = await t.login(); // a session in the test's store, a user the empty database lacks
    const profile = await app.get(`/api/users/${body.user.id}`).set('Authorization', auth);
    expect(profile.status).toBe(503);
    expect(profile.body.error).toEqual(notMigrated);
  } finally {
    await prisma.$disconnect();
  }
});

// SQLite has no credentials: the test exists only for a database server (no skipped test in SQLite's report)
if (!isSqlite)
  test('credentials the server refuses: /readyz is 503 DATABASE_ACCESS_DENIED, not a timeout', async () => {
    const wrong = new URL(testDatabaseUrl());
    wrong.username = 'cwb_no_such_user';
    wrong.password = 'wrong';
    const prisma = createPrisma(wrong.toString());
    try {
      const res = await readyz(t.appWith({ prisma }));
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ code: 'DATABASE_ACCESS_DENIED', message: expect.stringMatching(/access denied/) });
    } finally {
      await prisma.$disconnect();
    }
  }, 20_000);

test('the start-up log says "not migrated" in one line, without a stack, and the server starts', async () => {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/server.ts'], {
    cwd: path.join(__dirname, '..'),
    env: {
      ...process.env,
      NODE_ENV: 'development',
      WX_APPID: t.appid,
      WX_SECRET: APP_SECRET,
      WX_API_BASE: t.fake.url,
      JWT_SECRET,
      DATABASE_URL: emptyUrl,
      HOST: '127.0.0.1',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let i = 0; i < 300 && !/"msg":"listening"/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGTERM');
  await exited;
  const lines = output.split('\n').filter((l) => /not migrated/.test(l));
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/prisma migrate deploy/);
  expect(lines[0]).not.toMatch(/"stack"/);
  expect(output).toMatch(/"msg":"listening"/);
}, 30_000);
