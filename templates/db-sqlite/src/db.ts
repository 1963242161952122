import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';
import { ownerOnly } from './sqlite-file';

/**
 * SQLite as production runs it. WAL lets readers work while one writer commits, and with
 * `synchronous = NORMAL` a commit costs no fsync of its own (the WAL is synced at checkpoints): a
 * committed login survives the app crashing or being killed, but the last few commits can be lost if
 * the machine itself loses power; the file is never corrupted either way. `journal_mode` is stored in
 * the database file; `synchronous` holds per connection, so it is set on every connection Prisma opens.
 */
class ProductionSqlite extends PrismaBetterSqlite3 {
  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    return adapter;
  }
}

/**
 * Prisma 7 talks to the database through a driver adapter: no native engine to download.
 * better-sqlite3's `timeout` is SQLite's busy_timeout: a writer that finds the database locked (e.g. by
 * another PM2 instance) waits up to 5 s for it instead of failing at once.
 */
export function createPrisma(databaseUrl: string): PrismaClient {
  ownerOnly(databaseUrl.replace(/^file:/, '').replace(/\?.*$/, ''));
  return new PrismaClient({ adapter: new ProductionSqlite({ url: databaseUrl, timeout: 5000 }) });
}
