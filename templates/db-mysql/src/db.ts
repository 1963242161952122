import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaClient } from './generated/prisma/client';
import { mariadbConfig } from './mariadb-config';

/**
 * Prisma 7 talks to the database through a driver adapter: no native engine to download. The mariadb
 * driver serves MySQL and MariaDB; its timeouts (see mariadb-config.ts) keep a dead database a quick 503.
 */
export function createPrisma(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaMariaDb(mariadbConfig(databaseUrl)) });
}
