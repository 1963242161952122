import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/prisma/client';
import { registerDirect, type DirectConnection, type SyncDatabase } from './sqlite-direct';
import { ownerOnly } from './sqlite-file';

/** What of better-sqlite3's connection and statements the cache below uses. */
interface Statement {
  readonly reader: boolean;
  run(args: unknown[]): unknown;
  columns(): unknown[];
  raw(on: boolean): { all(args: unknown[]): unknown[] };
}
interface Database {
  prepare(sql: string): Statement;
  readonly inTransaction?: boolean;
  exec?(sql: string): unknown;
}

/** At most this many prepared statements kept per connection (Prisma's SQL varies with `IN (?, ?)` lists). */
const STATEMENTS_KEPT = 256;

/**
 * The adapter prepares every statement anew (SQLite parses and plans the SQL each time: ~1/6 of a
 * login's CPU). This keeps each SQL text's prepared statement and binds each call's arguments to it
 * instead of to the statement itself (better-sqlite3's `bind` would fix them for good). It relies on
 * what the adapter calls: `prepare(sql)`, then `.bind(args)` or `.run()`, `.reader`, `.columns()`,
 * `.raw().all()`; every call runs synchronously to its end, so one statement never serves two at once.
 * A statement's result columns are read once too: they change only with the schema, and the app is
 * restarted after a migration anyway (its Prisma client is generated for one schema).
 */
function cachePreparedStatements(db: Database): void {
  const prepare = db.prepare.bind(db);
  type Kept = { stmt: Statement; columns?: ReturnType<Statement['columns']> };
  const kept = new Map<string, Kept>();
  const call = (k: Kept, args: unknown[]) => ({
    get reader() {
      return k.stmt.reader;
    },
    bind: (bound: unknown[]) => call(k, bound),
    run: () => k.stmt.run(args),
    columns: () => (k.columns ??= k.stmt.columns()),
    raw: () => ({ all: () => k.stmt.raw(true).all(args) }),
  });
  db.prepare = ((sql: string) => {
    let k = kept.get(sql);
    if (!k) {
      k = { stmt: prepare(sql) };
      if (kept.size >= STATEMENTS_KEPT) kept.delete(kept.keys().next().value!); // the oldest
      kept.set(sql, k);
    }
    return call(k, []);
  }) as unknown as Database['prepare']; // a stand-in: only what the adapter calls
}

type Adapter = Awaited<ReturnType<PrismaBetterSqlite3['connect']>>;

/**
 * The adapter runs everything on one connection, and its plain queries do not wait for an open
 * transaction: another request's query that arrives between a transaction's statements runs inside it,
 * and is undone with it when it rolls back (a write the client was told succeeded, then lost). Here a
 * plain query waits while any transaction is open or waiting for the adapter's lock (counted from the
 * moment it asks, so a query never slips into the next transaction's BEGIN); a transaction's own
 * statements go through the transaction object, so they never wait on themselves. Under a steady stream
 * of transactions plain queries wait for a gap: fine for this app, whose transactions are short.
 */
function queriesWaitForTransactions(adapter: Adapter, db: Database | undefined): () => Promise<void> | undefined {
  let busy = 0;
  let idle: Promise<void> = Promise.resolve();
  let wake = () => {};
  const done = () => {
    if (--busy === 0) wake();
  };
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.startTransaction = async (isolationLevel) => {
    if (busy++ === 0) idle = new Promise<void>((resolve) => (wake = resolve));
    let tx: Awaited<ReturnType<typeof startTransaction>>;
    try {
      tx = await startTransaction(isolationLevel); // the adapter's own lock: one transaction at a time
    } catch (err) {
      done();
      throw err;
    }
    // Prisma sends COMMIT or ROLLBACK through the transaction, then calls these, which release the lock.
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = async () => {
      try {
        return await commit();
      } finally {
        done();
      }
    };
    tx.rollback = async () => {
      try {
        // After a COMMIT that failed (SQLITE_BUSY) the transaction is still open and rollback() sends
        // nothing: end it while the lock is still held, or later queries would run inside it.
        if (db?.inTransaction) db.exec?.('ROLLBACK');
      } finally {
        try {
          await rollback();
        } finally {
          done();
        }
      }
    };
    return tx;
  };
  const waiting =
    <Q, R>(run: (query: Q) => Promise<R>) =>
    async (query: Q) => {
      while (busy) await idle;
      return run(query);
    };
  adapter.queryRaw = waiting(adapter.queryRaw.bind(adapter));
  adapter.executeRaw = waiting(adapter.executeRaw.bind(adapter));
  return () => (busy ? idle : undefined); // for sqlite-direct's statements, which wait the same way
}

/**
 * SQLite as production runs it. WAL lets readers work while one writer commits, and with
 * `synchronous = NORMAL` a commit costs no fsync of its own (the WAL is synced at checkpoints): a
 * committed login survives the app crashing or being killed, but the last few commits can be lost if
 * the machine itself loses power; the file is never corrupted either way. `journal_mode` is stored in
 * the database file; `synchronous` holds per connection, so it is set on every connection Prisma opens.
 */
export class ProductionSqlite extends PrismaBetterSqlite3 {
  /** The connection sqlite-direct may use: the last one opened, while the adapter is one it knows and writes ISO dates. */
  direct?: DirectConnection;
  /** sqlite-direct writes dates in the adapter's default format: another `timestampFormat` would put two formats in one column. */
  private readonly isoDates: boolean;

  constructor(...args: ConstructorParameters<typeof PrismaBetterSqlite3>) {
    super(...args);
    this.isoDates = (args[1]?.timestampFormat ?? 'iso8601') === 'iso8601';
  }

  override async connect() {
    const adapter = await super.connect();
    await adapter.executeScript('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    const db = (adapter as unknown as { client?: Database }).client;
    // another adapter version (no better-sqlite3 connection in `client`): no cache, no direct statements, still correct
    const known = typeof db?.prepare === 'function' && typeof (db as { open?: unknown }).open === 'boolean';
    const prepare = known ? (db.prepare.bind(db) as unknown as DirectConnection['prepare']) : undefined;
    if (known) cachePreparedStatements(db);
    const idle = queriesWaitForTransactions(adapter, db);
    this.direct = prepare && this.isoDates ? { db: db as unknown as SyncDatabase, prepare, idle } : undefined;
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
  const adapter = new ProductionSqlite({ url: databaseUrl, timeout: 5000 });
  const prisma = new PrismaClient({ adapter });
  registerDirect(prisma, () => adapter.direct);
  return prisma;
}
