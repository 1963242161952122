import fs from 'node:fs';

/**
 * The database holds session keys: it is created readable by its owner only (0600), and an older file
 * (e.g. one `prisma migrate deploy` made under a 022 umask) is narrowed to that. SQLite gives the -wal
 * and -shm files it creates the database file's own mode.
 */
export function ownerOnly(file: string): void {
  if (file === ':memory:' || file === '') return;
  try {
    fs.closeSync(fs.openSync(file, 'a', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return; // no such folder: SQLite reports it when it connects
    throw err;
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    try {
      fs.chmodSync(file + suffix, 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}
