import { randomUUID } from 'node:crypto';
import mariadb from 'mariadb';
import { mariadbConfig } from '../mariadb-config';
import { acquireLock, type MigrateOptions } from './lock-wait';
import { MigrationError, pending, type AppliedRow, type Migration } from './migrations';

/** Prisma Migrate's own lock name: this and `prisma migrate deploy` never run at once either. */
export const LOCK = 'prisma_migrate';

const TABLE = `CREATE TABLE IF NOT EXISTS _prisma_migrations (
  id VARCHAR(36) PRIMARY KEY NOT NULL,
  checksum VARCHAR(64) NOT NULL,
  finished_at DATETIME(3),
  migration_name VARCHAR(255) NOT NULL,
  logs TEXT,
  rolled_back_at DATETIME(3),
  started_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  applied_steps_count INTEGER UNSIGNED NOT NULL DEFAULT 0
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`;

/**
 * Applies the migrations the database has not recorded. Instances starting together wait on GET_LOCK:
 * the first applies, the others then find nothing to do. MySQL commits each DDL statement at once, so a
 * migration's row is written first and finished after it: one that fails halfway stays recorded as
 * unfinished and stops the next start until someone resolves it, as Prisma Migrate does. Returns the
 * names it applied.
 */
export async function applyMigrations(databaseUrl: string, migrations: Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const { connectionLimit: _, ...connection } = mariadbConfig(databaseUrl);
  const conn = await mariadb.createConnection({ ...connection, multipleStatements: true });
  try {
    const tryLock = async () => {
      const [lock] = await conn.query<Array<{ got: number | bigint | null }>>('SELECT GET_LOCK(?, 0) AS got', [LOCK]);
      return Number(lock.got) === 1;
    };
    await acquireLock(tryLock, options);
    await conn.query(TABLE);
    const rows = await conn.query<AppliedRow[]>('SELECT migration_name, finished_at FROM _prisma_migrations WHERE rolled_back_at IS NULL');
    const applied: string[] = [];
    for (const m of pending(migrations, rows)) {
      options.signal?.throwIfAborted(); // stopping: the migrations before this one are finished
      const id = randomUUID();
      await conn.query('INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES (?, ?, ?)', [id, m.checksum, m.name]);
      try {
        await conn.query(m.sql);
      } catch (err) {
        await conn.query('UPDATE _prisma_migrations SET logs = ? WHERE id = ?', [(err as Error).message, id]).catch(() => undefined);
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      await conn.query('UPDATE _prisma_migrations SET finished_at = CURRENT_TIMESTAMP(3), applied_steps_count = 1 WHERE id = ?', [id]);
      applied.push(m.name);
    }
    return applied;
  } finally {
    await conn.end(); // ends the session, which releases the lock
  }
}
