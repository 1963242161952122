import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { twinDatabaseUrl } from '../scripts/reset-database';
import { SCRATCH_MARK } from '../scripts/scratch-database';
import { createPrisma } from '../src/db';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';

/** A newcomer's start-up mistakes: each is one line that says the fix, never a stack. */
const root = path.join(__dirname, '..');
const isSqlite = testDatabaseUrl().startsWith('file:');

/** Runs a command to its end; its exit code and what it printed. */
function run(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** This environment without any of the app's settings. */
function bareEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development' };
  for (const key of Object.keys(env)) if (/^(WX_|JWT_|DATABASE_URL|REDIS_URL|SESSION_|PORT)/.test(key)) delete env[key];
  return env;
}

test('no .env at all: one line that names the missing file and how to create it', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-env-'));
  try {
    const { code, stderr } = await run([require.resolve('tsx/cli'), path.join(root, 'src/server.ts')], empty, bareEnv());
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `No .env file in ${fs.realpathSync(empty)}: create it with \`cp .env.example .env\` and fill in the values it asks for.`,
    );
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
}, 20_000);

test('start before build: one line that says to build first; after a build, silent', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-build-'));
  try {
    fs.mkdirSync(path.join(dir, 'scripts'));
    fs.copyFileSync(path.join(root, 'scripts/check-build.cjs'), path.join(dir, 'scripts/check-build.cjs'));
    const env = { ...process.env, npm_config_user_agent: 'pnpm/10.0.0 node/v22' };
    const before = await run(['scripts/check-build.cjs'], dir, env);
    expect(before.code).toBe(1);
    expect(before.stderr.trim()).toBe(
      'No build yet (dist/server.js is missing): run `pnpm run build` first, then `pnpm start` (or `pnpm run dev` while developing).',
    );
    fs.mkdirSync(path.join(dir, 'dist'));
    fs.writeFileSync(path.join(dir, 'dist/server.js'), '');
    expect(await run(['scripts/check-build.cjs'], dir, env)).toEqual({ code: 0, stderr: '' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('dev:mock on a busy port: one line with the fix, exit 1', async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  const mockUrl = twinDatabaseUrl(testDatabaseUrl(), '_busyport');
  try {
    const env = { ...bareEnv(), PORT: String(port), HOST: '127.0.0.1', MOCK_DATABASE_URL: mockUrl };
    const { code, stderr } = await run([require.resolve('tsx/cli'), 'scripts/dev-mock.ts'], root, env);
    expect(code).toBe(1);
    expect(stderr.trim()).toMatch(
      new RegExp(`^dev:mock: port ${port} is in use \\(.+\\): set PORT to another, e\\.g\\. PORT=3100 \\S+ run dev:mock\\.$`),
    );
  } finally {
    busy.close();
    await dropDatabase(mockUrl);
  }
}, 30_000);

/** Whether the database `url` names exists (SQLite: its file), without creating it. */
async function databaseExists(url: string): Promise<boolean> {
  if (url.startsWith('file:')) return fs.existsSync(path.resolve(root, url.slice('file:'.length)));
  const prisma = createPrisma(url);
  try {
    await prisma.$queryRawUnsafe('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await prisma.$disconnect();
  }
}

test('dev:mock drops its throw-away database when it is stopped', async () => {
  const mockUrl = twinDatabaseUrl(testDatabaseUrl(), '_stopped');
  const env = { ...bareEnv(), PORT: '0', HOST: '127.0.0.1', MOCK_DATABASE_URL: mockUrl };
  // node itself with tsx's loader, not tsx's CLI: the CLI relays SIGTERM and kills a child that takes a
  // moment to stop (exit 143), and stopping here closes the app and drops a database.
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/dev-mock.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    let output = '';
    await new Promise<void>((resolve, reject) => {
      for (const s of [child.stdout, child.stderr]) s.on('data', (d) => (output += d) && /app at http/.test(output) && resolve());
      void exited.then(() => reject(new Error(`dev:mock ended before it listened:\n${output}`)));
    });
    expect(await databaseExists(mockUrl)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await databaseExists(mockUrl)).toBe(false);
  } finally {
    child.kill('SIGKILL');
    await dropDatabase(mockUrl);
  }
}, 30_000);

test('the tests and dev:mock never drop a database they did not create: tables without their mark are refused', async () => {
  const url = twinDatabaseUrl(testDatabaseUrl(), '_notours');
  await resetDatabase(url); // created and marked, as a scratch database is...
  const prisma = createPrisma(url);
  try {
    await prisma.$executeRawUnsafe(`DROP TABLE ${SCRATCH_MARK}`); // ...then it is someone's real database
    await prisma.user.create({ data: { openid: 'o_someones_real_user' } });
    await expect(resetDatabase(url)).rejects.toThrow(/^Refusing to drop .*not created by the tests or dev:mock/);
    await expect(dropDatabase(url)).rejects.toThrow(/^Refusing to drop /);
    expect(await prisma.user.count({ where: { openid: 'o_someones_real_user' } })).toBe(1);
    await prisma.$executeRawUnsafe(`CREATE TABLE ${SCRATCH_MARK} (created_at INT)`); // ours again, to clean up
  } finally {
    await prisma.$disconnect();
  }
  await dropDatabase(url);
}, 30_000);

test("the test database follows the development database's name (and server and credentials)", () => {
  const saved = { test: process.env.TEST_DATABASE_URL, dev: process.env.DATABASE_URL };
  const scheme = new URL(testDatabaseUrl()).protocol;
  try {
    delete process.env.TEST_DATABASE_URL;
    process.env.DATABASE_URL = isSqlite ? 'file:./data/shop.db' : `${scheme}//shop:pw@db.internal:6543/shop_dev?x=1`;
    expect(testDatabaseUrl()).toBe(isSqlite ? 'file:./data/shop_test.db' : `${scheme}//shop:pw@db.internal:6543/shop_dev_test?x=1`);
  } finally {
    process.env.TEST_DATABASE_URL = saved.test;
    process.env.DATABASE_URL = saved.dev;
    if (saved.test === undefined) delete process.env.TEST_DATABASE_URL;
    if (saved.dev === undefined) delete process.env.DATABASE_URL;
  }
});
