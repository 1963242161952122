import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ownerOnly } from '../sqlite-file';
import { acquireLock, once, type MigrateOptions } from './lock-wait';
import { MigrationError, pending, type AppliedRow, type Migration } from './migrations';

const TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL,
  "checksum" TEXT NOT NULL,
  "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL,
  "logs" TEXT,
  "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp,
  "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** How long a statement waits for readers once this connection holds the write lock, ms. */
const BUSY_MS = 60_000;

interface ForeignKeyProblem {
  table: string;
  rowid: number;
  parent: string;
}

/**
 * Applies the migrations the database file has not recorded, each in its own transaction with its
 * `_prisma_migrations` row. BEGIN IMMEDIATE takes SQLite's write lock, so two processes on one file
 * apply each migration once. Foreign keys are off meanwhile, as Prisma's RedefineTables scripts expect:
 * inside a transaction their own `PRAGMA foreign_keys=OFF` does nothing, and dropping a parent table
 * (User) with them on would delete every child row (sessions, credits) through ON DELETE CASCADE. So
 * they go off before BEGIN, `foreign_key_check` must come back empty before COMMIT, and they go on again.
 * Returns the names it applied.
 */
export async function applyMigrations(databaseUrl: string, migrations: Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const file = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  ownerOnly(file); // it holds session keys
  const db = new Database(file, { timeout: BUSY_MS });
  const wait = once(options);
  const tryBegin = () => {
    try {
      db.pragma('busy_timeout = 0'); // try: a held lock answers SQLITE_BUSY at once, and the wait stays async
      db.exec('BEGIN IMMEDIATE');
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw err;
    } finally {
      db.pragma(`busy_timeout = ${BUSY_MS}`);
    }
  };
  try {
    db.pragma('foreign_keys = OFF'); // outside any transaction, where SQLite honours it
    const applied: string[] = [];
    for (;;) {
      await acquireLock(tryBegin, wait);
      db.exec(TABLE);
      const rows = db
        .prepare('SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL')
        .all() as AppliedRow[];
      const next = pending(migrations, rows)[0];
      if (!next || options.signal?.aborted) {
        db.exec('COMMIT');
        options.signal?.throwIfAborted(); // stopping: the migrations before this one are committed
        return applied;
      }
      try {
        db.exec(next.sql);
        const broken = db.pragma('foreign_key_check') as ForeignKeyProblem[];
        if (broken.length) {
          const [first] = broken;
          throw new Error(
            `it leaves ${broken.length} row(s) whose foreign key points nowhere (first: ${first.table} row ${first.rowid} → ${first.parent})`,
          );
        }
        db.prepare(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES (?, ?, current_timestamp, ?, 1)',
        ).run(randomUUID(), next.checksum, next.name);
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw new MigrationError(`migration ${next.name} failed (nothing of it was applied): ${(err as Error).message}`, { cause: err });
      }
      applied.push(next.name);
    }
  } finally {
    if (db.inTransaction) db.exec('ROLLBACK');
    db.pragma('foreign_keys = ON');
    db.close();
  }
}
