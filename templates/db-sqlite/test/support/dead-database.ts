import { createPrisma } from '../../src/db';

/** A Prisma client for a database it cannot reach: a database file in a directory that does not exist. */
export function deadPrisma() {
  return createPrisma('file:/nonexistent-directory/app.db');
}
