import fs from 'node:fs';
import { parseEnv } from 'node:util';

/**
 * The table that marks a database the tests or dev:mock created for themselves: only such a database is
 * ever dropped by them, whatever TEST_DATABASE_URL or MOCK_DATABASE_URL name (and a SQLite file with no
 * tables, which holds nothing). An empty database on a server is not theirs either: someone made it, with
 * its own owner, grants and settings.
 */
export const SCRATCH_MARK = 'cwb_scratch_database';

export const notScratch = (name: string) =>
  new Error(
    `Refusing to drop ${name}: it exists and was not created by the tests or dev:mock (no ${SCRATCH_MARK} table). ` +
      'Point TEST_DATABASE_URL / MOCK_DATABASE_URL at a database name that does not exist yet (they create it and drop it ' +
      'afterwards), or drop it yourself if it is a leftover.',
  );

/** DATABASE_URL from the environment, else from `.env`, else undefined (read only: nothing is loaded). */
export function developmentDatabaseUrl(): string | undefined {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  try {
    return parseEnv(fs.readFileSync('.env', 'utf8')).DATABASE_URL || undefined;
  } catch {
    return undefined;
  }
}
