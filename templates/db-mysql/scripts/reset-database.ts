import mariadb from 'mariadb';
import { mariadbConfig } from '../src/mariadb-config';
import { migrationScripts } from './migrations';
import { notScratch, SCRATCH_MARK } from './scratch-database';

/**
 * Refuses to drop a database that exists without SCRATCH_MARK, tables or none: the tests and dev:mock drop
 * only databases they created (and marked) themselves, never one a URL happens to name.
 */
async function mustBeScratch(conn: mariadb.Connection, database: string): Promise<void> {
  const found: unknown[] = await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database]);
  if (found.length === 0) return; // no such database: nothing to lose
  const rows: { name: string }[] = await conn.query(
    "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
    [database],
  );
  if (!rows.some((r) => r.name === SCRATCH_MARK)) throw notScratch(database);
}

/**
 * Drops and re-creates the database (only one it made itself), marks it, then runs the committed migrations in it with the database's own
 * driver: the tests and `npm run dev:mock` run exactly the SQL that production runs (no Prisma CLI).
 */
export async function resetDatabase(url: string, scripts = migrationScripts()): Promise<void> {
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
    await mustBeScratch(conn, database);
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await conn.query(`USE \`${database}\``);
    await conn.query(`CREATE TABLE \`${SCRATCH_MARK}\` (created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    for (const sql of scripts) await conn.query(sql);
  } finally {
    await conn.end();
  }
}

/** Drops the database (the tests' teardown: a run leaves nothing behind on a shared server). */
export async function dropDatabase(url: string): Promise<void> {
  const { database, ...server } = mariadbConfig(url);
  const conn = await mariadb.createConnection(server);
  try {
    await mustBeScratch(conn, database);
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}

/** The same server and credentials as `url`, database name + `suffix` (`app` → `app_test`). */
export function twinDatabaseUrl(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${suffix}`;
  return u.toString();
}
