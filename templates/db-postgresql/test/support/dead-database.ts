import { createPrisma } from '../../src/db';

/** A Prisma client for a database it cannot reach: a PostgreSQL server that does not answer (port 9). */
export function deadPrisma() {
  return createPrisma('postgresql://postgres@127.0.0.1:9/app');
}
