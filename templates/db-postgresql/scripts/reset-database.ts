import { Client } from 'pg';
import { migrationScripts } from './migrations';
import { notScratch, SCRATCH_MARK } from './scratch-database';

/** Connects, or says plainly that a PostgreSQL server must be running (the tests and dev:mock need one). */
async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    throw new Error(
      `Cannot reach PostgreSQL at ${new URL(url).host} (${(err as Error).message}). Start your PostgreSQL server, or point the URL at one.`,
      { cause: err },
    );
  }
  return client;
}

/**
 * Refuses to drop a database that exists without SCRATCH_MARK, tables or none: the tests and dev:mock drop
 * only databases they created (and marked) themselves, never one a URL happens to name.
 */
async function mustBeScratch(url: string): Promise<void> {
  const db = new Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await db.connect();
  } catch (err) {
    if ((err as { code?: unknown }).code === '3D000') return; // no such database: nothing to lose
    throw new Error(`Cannot reach PostgreSQL at ${new URL(url).host} (${(err as Error).message}).`, { cause: err });
  }
  try {
    const { rows } = await db.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    if (!rows.some((r) => r.name === SCRATCH_MARK)) throw notScratch(new URL(url).pathname.slice(1));
  } finally {
    await db.end();
  }
}

/**
 * Drops and re-creates the database (only one it made itself), marks it, then runs the committed
 * migrations in it with PostgreSQL's own driver: the tests and `npm run dev:mock` run exactly the SQL
 * that production runs (no Prisma CLI).
 */
export async function resetDatabase(url: string, scripts = migrationScripts()): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await mustBeScratch(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const server = await connect(admin.toString());
  try {
    await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await server.query(`CREATE DATABASE "${name}"`);
  } finally {
    await server.end();
  }
  const db = await connect(url);
  try {
    await db.query(`CREATE TABLE "${SCRATCH_MARK}" (created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    for (const sql of scripts) await db.query(sql);
  } finally {
    await db.end();
  }
}

/** Drops the database, only one it made itself (the tests' teardown: a run leaves nothing behind on a shared server). */
export async function dropDatabase(url: string): Promise<void> {
  await mustBeScratch(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const server = await connect(admin.toString());
  try {
    await server.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await server.end();
  }
}

/** The same server and credentials as `url`, database name + `suffix` (`app` → `app_test`). */
export function twinDatabaseUrl(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname.replace(/\/+$/, '')}${suffix}`;
  return u.toString();
}
