import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ownerOnly } from '../sqlite-file';
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

/**
 * Applies the migrations the database file has not recorded, each in its own transaction with its
 * `_prisma_migrations` row. BEGIN IMMEDIATE takes SQLite's write lock, so two processes on one file
 * apply each migration once. Returns the names it applied.
 */
export async function applyMigrations(databaseUrl: string, migrations: Migration[]): Promise<string[]> {
  const file = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  ownerOnly(file); // it holds session keys
  const db = new Database(file, { timeout: 60_000 });
  try {
    db.exec(TABLE);
    const applied: string[] = [];
    for (;;) {
      db.exec('BEGIN IMMEDIATE');
      const rows = db
        .prepare('SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL')
        .all() as AppliedRow[];
      const next = pending(migrations, rows)[0];
      if (!next) {
        db.exec('COMMIT');
        return applied;
      }
      try {
        db.exec(next.sql);
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
    db.close();
  }
}
