import { createPrisma } from '../src/db';
import { testDatabaseUrl } from './support/database';

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
