import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** One committed migration: prisma/migrations/<name>/migration.sql. */
export interface Migration {
  name: string;
  sql: string;
  /** sha256 of the file, as Prisma Migrate records it in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** A migration that failed, or one that failed earlier and was never resolved: one line for the operator. */
export class MigrationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MigrationError';
  }
}

/** The committed migrations, oldest first: what `prisma migrate deploy` would apply. */
export function committedMigrations(dir = path.join(__dirname, '..', '..', 'prisma', 'migrations')): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** A row of `_prisma_migrations`, as the appliers read it. */
export interface AppliedRow {
  migration_name: string;
  finished_at: unknown;
}

/**
 * The migrations still to apply, given what the table records. A migration that started and never
 * finished (it failed, here or under `prisma migrate deploy`) stops everything, as it stops Prisma.
 */
export function pending(migrations: Migration[], rows: AppliedRow[]): Migration[] {
  const broken = rows.find((r) => r.finished_at === null);
  if (broken) {
    throw new MigrationError(
      `migration ${broken.migration_name} failed earlier: fix the database, then mark it (npx prisma migrate resolve --applied|--rolled-back ${broken.migration_name})`,
    );
  }
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name));
}
