import { twinDatabaseUrl } from '../scripts/reset-database';
import { createPrisma } from '../src/db';
import { migrate } from '../src/migrate/migrate';
import { committedMigrations, pending } from '../src/migrate/migrations';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';

/**
 * The in-app migrator (`node dist/migrate/cli.js`, MIGRATE_ON_START): what a container runs instead of
 * Prisma's CLI. Against a fresh database of this project's kind: every committed migration once, even
 * with two instances starting together, and an app that works on the result.
 */
const url = twinDatabaseUrl(testDatabaseUrl(), '_migrate');
const names = committedMigrations().map((m) => m.name);
beforeAll(() => resetDatabase(url, [])); // created (and marked as the tests'), never migrated
afterAll(() => dropDatabase(url));

test('two instances starting at once: the committed migrations are applied once, by one of them, and the app works on them', async () => {
  const [a, b] = await Promise.all([migrate(url), migrate(url)]);
  expect([a, b].sort((x, y) => y.length - x.length)).toEqual([names, []]);
  expect(await migrate(url)).toEqual([]); // the next start finds nothing to do

  const prisma = createPrisma(url);
  try {
    expect(await prisma.user.count()).toBe(0);
  } finally {
    await prisma.$disconnect();
  }
});

test('a migration recorded as started but never finished stops the start with the command that resolves it', () => {
  const [first] = committedMigrations();
  expect(() => pending(committedMigrations(), [{ migration_name: first.name, finished_at: null }])).toThrow(
    `migration ${first.name} failed earlier: fix the database, then mark it (npx prisma migrate resolve --applied|--rolled-back ${first.name})`,
  );
});
