import { applyMigrations } from './apply';
import type { MigrateOptions } from './lock-wait';
import { committedMigrations } from './migrations';

/**
 * Applies the committed migrations (prisma/migrations) that the database has not recorded, with the
 * database's own driver, and records them in `_prisma_migrations` as Prisma Migrate does, so `prisma
 * migrate deploy` and this command agree on what is applied. Why not Prisma's CLI: it downloads a native
 * schema engine on first use, which an image built once and run offline (or read-only) cannot do.
 */
export function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<string[]> {
  return applyMigrations(databaseUrl, committedMigrations(), options);
}
