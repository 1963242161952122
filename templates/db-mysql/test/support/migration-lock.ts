import mariadb from 'mariadb';
import { mariadbConfig } from '../../src/mariadb-config';
import { LOCK } from '../../src/migrate/apply';

/** Holds the migration lock from another session, as an instance applying migrations does; returns its release. */
export async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  const { connectionLimit: _, ...options } = mariadbConfig(url);
  const conn = await mariadb.createConnection(options);
  const [lock] = await conn.query<Array<{ got: number | bigint | null }>>('SELECT GET_LOCK(?, 30) AS got', [LOCK]);
  if (Number(lock.got) !== 1) throw new Error('the migration lock stayed held by someone else for 30 s');
  return () => conn.end();
}
