import Database from 'better-sqlite3';

/** Holds the database file's write lock from another connection, as an instance applying migrations does; returns its release. */
export async function holdMigrationLock(url: string): Promise<() => Promise<void>> {
  const db = new Database(url.replace(/^file:/, '').replace(/\?.*$/, ''));
  db.exec('BEGIN IMMEDIATE');
  return async () => {
    db.exec('ROLLBACK');
    db.close();
  };
}
