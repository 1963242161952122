import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ownerOnly } from '../src/sqlite-file';
import { migrationScripts } from './migrations';

/**
 * Deletes the database file and creates it again at the committed migrations, with SQLite's own driver:
 * the tests and `npm run dev:mock` run exactly the SQL that production runs (and need no Prisma CLI).
 */
export async function resetDatabase(url: string): Promise<void> {
  const file = url.replace(/^file:/, '');
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  ownerOnly(file); // it holds session keys
  const db = new Database(file);
  try {
    for (const sql of migrationScripts()) db.exec(sql);
  } finally {
    db.close();
  }
}

/** Deletes the database file (the tests' teardown). */
export async function dropDatabase(url: string): Promise<void> {
  const file = url.replace(/^file:/, '');
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}
