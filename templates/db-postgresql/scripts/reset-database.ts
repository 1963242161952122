import { Client } from 'pg';
import { migrationScripts } from './migrations';

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
 * Drops and re-creates the database, then runs the committed migrations in it with PostgreSQL's own
 * driver: the tests and `npm run dev:mock` run exactly the SQL that production runs (no Prisma CLI).
 */
export async function resetDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
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
    for (const sql of migrationScripts()) await db.query(sql);
  } finally {
    await db.end();
  }
}

/** Drops the database (the tests' teardown: a run leaves nothing behind on a shared server). */
export async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const server = await connect(admin.toString());
  try {
    await server.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  } finally {
    await server.end();
  }
}
