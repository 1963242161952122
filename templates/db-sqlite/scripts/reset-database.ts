import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ownerOnly } from '../src/sqlite-file';
import { migrationScripts } from './migrations';
import { notScratch, SCRATCH_MARK } from './scratch-database';

/** Deletes the file, only one the tests or dev:mock made (and marked) themselves, or one with no tables. */
function removeScratch(file: string): void {
  if (fs.existsSync(file)) {
    const db = new Database(file, { readonly: true });
    try {
      const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      if (rows.length > 0 && !rows.some((r) => r.name === SCRATCH_MARK)) throw notScratch(file);
    } finally {
      db.close();
    }
  }
  for (const suffix of ['', '-journal', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
}

/**
 * Deletes the database file and creates it again, marked, at the committed migrations, with SQLite's own
 * driver: the tests and `npm run dev:mock` run exactly the SQL that production runs (and need no Prisma CLI).
 */
export async function resetDatabase(url: string, scripts = migrationScripts()): Promise<void> {
  const file = url.replace(/^file:/, '');
  removeScratch(file);
  ownerOnly(file); // it holds session keys
  const db = new Database(file);
  try {
    db.exec(`CREATE TABLE "${SCRATCH_MARK}" (created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)`);
    for (const sql of scripts) db.exec(sql);
  } finally {
    db.close();
  }
}

/** Deletes the database file (the tests' teardown), only one it made itself. */
export async function dropDatabase(url: string): Promise<void> {
  removeScratch(url.replace(/^file:/, ''));
}

/** A file beside the one `url` names, its name + `suffix` (`file:./dev.db` → `file:./dev_test.db`). */
export function twinDatabaseUrl(url: string, suffix: string): string {
  return url.replace(/(\.db)?$/, (ext) => `${suffix}${ext}`);
}
