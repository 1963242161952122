import mariadb from 'mariadb';
import { mariadbConfig } from '../src/mariadb-config';
import { migrationScripts } from './migrations';

/**
 * Drops and re-creates the database, then runs the committed migrations in it with the database's own
 * driver: the tests and `npm run dev:mock` run exactly the SQL that production runs (no Prisma CLI).
 */
export async function resetDatabase(url: string): Promise<void> {
  const { database, ...server } = mariadbConfig(url);
  let conn: mariadb.Connection;
  try {
    conn = await mariadb.createConnection({ ...server, multipleStatements: true });
  } catch (err) {
    throw new Error(
      `Cannot reach MySQL/MariaDB at ${server.host}:${server.port} (${(err as Error).message}). Start your database server, or point the URL at one.`,
      { cause: err },
    );
  }
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${database}\``);
    for (const sql of migrationScripts()) await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Drops the database (the tests' teardown: a run leaves nothing behind on a shared server). */
export async function dropDatabase(url: string): Promise<void> {
  const { database, ...server } = mariadbConfig(url);
  const conn = await mariadb.createConnection(server);
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}
