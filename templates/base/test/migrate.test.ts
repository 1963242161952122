import { spawn } from 'node:child_process';
import path from 'node:path';
import { twinDatabaseUrl } from '../scripts/reset-database';
import { createPrisma } from '../src/db';
import { migrate } from '../src/migrate/migrate';
import { committedMigrations, pending } from '../src/migrate/migrations';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';
import { holdMigrationLock } from './support/migration-lock';

/**
 * The in-app migrator (`node dist/migrate/cli.js`, MIGRATE_ON_START): what a container runs instead of
 * Prisma's CLI. Against a fresh database of this project's kind, with the migration lock held the way
 * another instance holds it: instances wait and say so, a waiting server stops at once on SIGTERM, and
 * once the lock is free every committed migration is applied once, by one of them.
 */
const url = twinDatabaseUrl(testDatabaseUrl(), '_migrate');
const names = committedMigrations().map((m) => m.name);
const root = path.join(__dirname, '..');
const WAITING = 'waiting for the migration lock: another instance is applying migrations';
beforeAll(() => resetDatabase(url, [])); // created (and marked as the tests'), never migrated
afterAll(() => dropDatabase(url));

/** A TypeScript entry of this project in a process of its own (tsx as a loader: signals reach the app itself). */
function start(entry: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = { child, stdout: '', stderr: '', exited: new Promise<number | null>((resolve) => child.on('exit', resolve)) };
  child.stdout.on('data', (d) => (p.stdout += d));
  child.stderr.on('data', (d) => (p.stderr += d));
  return p;
}

async function until(what: string, check: () => boolean): Promise<void> {
  for (let i = 0; i < 600 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!check()) throw new Error(`waited 30 s for ${what}`);
}

test('SIGTERM to a server waiting for the migration lock: it stops within 2 s, exit 1, with one line', async () => {
  const release = await holdMigrationLock(url);
  const server = start('src/server.ts', {
    NODE_ENV: 'development',
    WX_APPID: 'wx0123456789abcdef',
    WX_SECRET: 'never-used-0123456789abcdef',
    WX_API_BASE: 'http://127.0.0.1:9',
    JWT_SECRET: 'never-used-0123456789abcdef-0123456789abcdef',
    DATABASE_URL: url,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HOST: '127.0.0.1',
    PORT: '0',
    MIGRATE_ON_START: 'true',
  });
  try {
    await until('the server to wait for the lock', () => server.stdout.includes(WAITING));
    const started = Date.now();
    server.child.kill('SIGTERM'); // as `docker stop` does: node is PID 1 there
    expect(await server.exited).toBe(1);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.stderr.trim()).toBe('stopped before start-up finished');
    expect(server.stdout).not.toContain('"msg":"listening"');
  } finally {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await release();
  }
}, 60_000);

test('the lock held past the bound: the wait ends with one line that says why', async () => {
  const release = await holdMigrationLock(url);
  let waits = 0;
  try {
    await expect(migrate(url, { lockTimeoutMs: 1000, onWait: () => waits++ })).rejects.toThrow(
      'another instance has held the migration lock for 1 s: is its migration stuck? Stop that instance, then start again',
    );
    expect(waits).toBe(1);
  } finally {
    await release();
  }
});

test('two instances starting while a third holds the lock: both wait, then the migrations are applied once, by one of them, and the app works on them', async () => {
  const release = await holdMigrationLock(url);
  const instances = [0, 1].map(() => start('src/migrate/cli.ts', { DATABASE_URL: url }));
  try {
    await until('both instances to wait for the lock', () => instances.every((i) => i.stdout.includes(WAITING)));
  } catch (err) {
    for (const i of instances) i.child.kill('SIGKILL');
    throw err;
  } finally {
    await release();
  }
  expect(await Promise.all(instances.map((i) => i.exited))).toEqual([0, 0]);
  const said = instances.map((i) => i.stdout.replace(`${WAITING}\n`, '').trim()).sort();
  expect(said).toEqual([`applied ${names.length} migration(s): ${names.join(', ')}`, 'the database is up to date']);
  expect(await migrate(url)).toEqual([]); // the next start finds nothing to do

  const prisma = createPrisma(url);
  try {
    expect(await prisma.user.count()).toBe(0);
  } finally {
    await prisma.$disconnect();
  }
}, 90_000);

test('a migration recorded as started but never finished stops the start with the command that resolves it', () => {
  const [first] = committedMigrations();
  expect(() => pending(committedMigrations(), [{ migration_name: first.name, finished_at: null }])).toThrow(
    `migration ${first.name} failed earlier: fix the database, then mark it (npx prisma migrate resolve --applied|--rolled-back ${first.name})`,
  );
});
