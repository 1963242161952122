import { Client } from 'pg';
import { LOCK_KEY } from '../../src/migrate/apply';

/** Holds the migration lock from another session, as an instance applying migrations does; returns its release. */
export async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  return () => client.end();
}
