import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { acquireLock, type MigrateOptions } from './lock-wait';
import { MigrationError, pending, type AppliedRow, type Migration } from './migrations';

/** Prisma Migrate's own advisory lock key: this and `prisma migrate deploy` never run at once either. */
export const LOCK_KEY = 72707369;

const TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies the migrations the database has not recorded, each in its own transaction with its
 * `_prisma_migrations` row. Instances starting together wait on the advisory lock: the first applies,
 * the others then find nothing to do. Returns the names it applied.
 */
export async function applyMigrations(databaseUrl: string, migrations: Migration[], options: MigrateOptions = {}): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const tryLock = async () =>
      (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [LOCK_KEY])).rows[0].locked;
    await acquireLock(tryLock, options);
    await client.query(TABLE);
    const { rows } = await client.query<AppliedRow>(
      'SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
    );
    const applied: string[] = [];
    for (const m of pending(migrations, rows)) {
      options.signal?.throwIfAborted(); // stopping: the migrations before this one are committed
      try {
        await client.query('BEGIN');
        await client.query(m.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ($1, $2, now(), $3, 1)',
          [randomUUID(), m.checksum, m.name],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new MigrationError(`migration ${m.name} failed (nothing of it was applied): ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.name);
    }
    return applied;
  } finally {
    await client.end(); // ends the session, which releases the lock
  }
}
