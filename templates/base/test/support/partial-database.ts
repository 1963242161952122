import { twinDatabaseUrl } from '../../scripts/reset-database';
import { createPrisma } from '../../src/db';
import type { PrismaClient } from '../../src/generated/prisma/client';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './database';

/**
 * A twin of the test database with every migration applied, then `tables` dropped: new code deployed on a
 * database that was not migrated for its feature. `drop()` disconnects and removes the twin.
 */
export async function databaseWithout(
  suffix: string,
  tables: readonly string[],
): Promise<{ prisma: PrismaClient; drop: () => Promise<void> }> {
  const url = twinDatabaseUrl(testDatabaseUrl(), suffix);
  const q = url.startsWith('mysql') ? '`' : '"';
  let prisma: PrismaClient | undefined;
  const drop = async () => {
    await prisma?.$disconnect();
    await dropDatabase(url);
  };
  try {
    await resetDatabase(url);
    prisma = createPrisma(url);
    for (const table of tables) await prisma.$executeRawUnsafe(`DROP TABLE ${q}${table}${q}`);
    return { prisma, drop };
  } catch (err) {
    await drop();
    throw err;
  }
}
