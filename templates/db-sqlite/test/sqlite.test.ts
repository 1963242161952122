import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma } from '../src/db';
import { resetDatabase, testDatabaseUrl } from './support/database';

/** One PRAGMA's value, as the app's own connection sees it. */
async function pragma(prisma: ReturnType<typeof createPrisma>, name: string): Promise<string> {
  const [row] = await prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(`PRAGMA ${name}`);
  return String(Object.values(row)[0]);
}

test('the app opens SQLite as production runs it: WAL, synchronous=NORMAL, a 5 s busy timeout', async () => {
  const prisma = createPrisma(testDatabaseUrl());
  try {
    expect(await pragma(prisma, 'journal_mode')).toBe('wal');
    expect(await pragma(prisma, 'synchronous')).toBe('1'); // 1 = NORMAL (2 = FULL, SQLite's default)
    expect(await pragma(prisma, 'busy_timeout')).toBe('5000');
    await prisma.$disconnect();
    // synchronous holds per connection: a reconnect must set it again.
    expect(await pragma(prisma, 'synchronous')).toBe('1');
  } finally {
    await prisma.$disconnect();
  }
});

test('the database file and its -wal/-shm are readable by their owner only (they hold session keys), even under a 022 umask', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sqlite-mode-'));
  const file = path.join(dir, 'mode.db');
  const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);
  const umask = process.umask(0o022);
  try {
    await resetDatabase(`file:${file}`); // what the tests and dev:mock do
    expect(mode(file)).toBe('600');
    fs.chmodSync(file, 0o644); // as `prisma migrate deploy` would leave a new dev.db
    const prisma = createPrisma(`file:${file}`);
    try {
      await prisma.user.create({ data: { openid: 'o_mode' } }); // a write: WAL and its index exist now
      for (const f of [file, `${file}-wal`, `${file}-shm`])
        expect([f.slice(file.length) || 'db', mode(f)]).toEqual([f.slice(file.length) || 'db', '600']);
    } finally {
      await prisma.$disconnect();
    }
  } finally {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the prepared statements the connection keeps take each call its own arguments, also in one batch and after a failure', async () => {
  const prisma = createPrisma(testDatabaseUrl());
  const tag = `o_stmt_${Date.now()}`;
  try {
    const [a, b] = await prisma.$transaction([
      prisma.user.create({ data: { openid: `${tag}_a` } }),
      prisma.user.create({ data: { openid: `${tag}_b` } }),
    ]);
    await expect(prisma.user.create({ data: { openid: `${tag}_a` } })).rejects.toMatchObject({ code: 'P2002' });
    const found = await Promise.all([`${tag}_b`, `${tag}_a`, `${tag}_none`].map((openid) => prisma.user.findUnique({ where: { openid } })));
    expect(found.map((u) => u?.id ?? null)).toEqual([b.id, a.id, null]);
  } finally {
    await prisma.user.deleteMany({ where: { openid: { startsWith: tag } } });
    await prisma.$disconnect();
  }
});

test("a write outside a transaction is not swallowed by another request's transaction that rolls back (one connection)", async () => {
  await resetDatabase(testDatabaseUrl());
  const prisma = createPrisma(testDatabaseUrl());
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  try {
    const failing = prisma.$transaction(async (tx) => {
      await tx.user.create({ data: { openid: 'o_in_tx' } });
      await sleep(100); // another request's write arrives meanwhile
      throw new Error('rolled back');
    });
    await sleep(30);
    await prisma.user.create({ data: { openid: 'o_outside' } }); // acknowledged to its client
    await expect(failing).rejects.toThrow('rolled back');
    expect(await prisma.user.findUnique({ where: { openid: 'o_in_tx' } })).toBeNull();
    expect(await prisma.user.findUnique({ where: { openid: 'o_outside' } })).not.toBeNull();
  } finally {
    await prisma.$disconnect();
  }
});
