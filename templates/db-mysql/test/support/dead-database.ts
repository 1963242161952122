import { createPrisma } from '../../src/db';

/** A Prisma client for a database it cannot reach: a MySQL server that does not answer (port 9). */
export function deadPrisma() {
  return createPrisma('mysql://root@127.0.0.1:9/app');
}
