import type { PrismaClient } from './generated/prisma/client';

/** What of better-sqlite3's connection the direct statements use. */
export interface SyncDatabase {
  prepare(sql: string): SyncStatement;
  readonly open: boolean;
  readonly inTransaction: boolean;
}
export interface SyncStatement {
  run(...args: unknown[]): { changes: number };
  get(...args: unknown[]): unknown;
  all(...args: unknown[]): unknown[];
  columns(): Array<{ name: string; type: string | null }>;
}

/** Prisma's own connection, with the prepare the adapter had before the statement cache replaced it. */
export interface DirectConnection {
  db: SyncDatabase;
  prepare: (sql: string) => SyncStatement;
  /** Resolves once no Prisma transaction is open or waiting (the lost-write wrapper of db.ts). */
  idle: () => Promise<void> | undefined;
}

const connections = new WeakMap<object, () => DirectConnection | undefined>();

/** db.ts: where the client's current connection is found (none before Prisma connects, or after it closes). */
export function registerDirect(prisma: PrismaClient, current: () => DirectConnection | undefined): void {
  connections.set(prisma, current);
}

/**
 * A Prisma query costs ~0.2 ms of CPU on top of SQLite's own ~0.05 ms (its client, query plan and
 * adapter): most of a login. The few hot statements of a login run here instead, synchronously on
 * Prisma's own connection. They wait like the adapter's plain queries for every Prisma transaction to
 * end (so none runs inside another's transaction and is undone with it), and run to their end in one
 * turn, so nothing else runs between them. Undefined when there is no such connection (not yet
 * connected, or an adapter that changed): the caller then uses Prisma, slower but the same.
 */
export async function direct<T>(prisma: PrismaClient, run: (c: Statements) => T, tables: Tables = {}): Promise<T | undefined> {
  const connection = connections.get(prisma);
  let c = connection?.();
  for (let wait = c?.idle(); wait; wait = c?.idle()) {
    await wait;
    c = connection?.();
  }
  if (!c || !c.db.open || c.db.inTransaction) return undefined;
  const s = statements(c);
  if (!Object.entries(tables).every(([table, columns]) => s.tableIs(table, columns))) return undefined;
  try {
    return run(s);
  } catch (err) {
    if (err instanceof NotDirect) return undefined; // refused while preparing, before anything ran
    throw err;
  }
}

/** A table's columns and their declared types, as the project's migrations create them. */
export type Columns = Readonly<Record<string, string>>;
/** The tables a direct statement was written for, by name. */
export type Tables = Readonly<Record<string, Columns>>;

/**
 * Whether a model's fields, as the generated client has them (`Prisma.UserScalarFieldEnum`), are still the
 * ones the direct statements were written for. A field added, renamed or removed in schema.prisma: those
 * statements would not know its default or its type, so that model's writes and reads go through Prisma.
 * (`direct` also checks the table itself: `@@map`, `@map` or another column type show there.)
 */
export function sameFields(generated: Record<string, string>, columns: Columns): boolean {
  const fields = Object.values(generated);
  const written = Object.keys(columns);
  return fields.length === written.length && written.every((f) => fields.includes(f));
}

/** A statement these helpers cannot read or prepare as Prisma would: the caller asks Prisma instead. */
class NotDirect extends Error {}

/** Each connection's statements, prepared once. */
const prepared = new WeakMap<SyncDatabase, Statements>();
function statements(c: DirectConnection): Statements {
  let s = prepared.get(c.db);
  if (!s) prepared.set(c.db, (s = new Statements(c)));
  return s;
}

/** Prepared statements by SQL text, and rows read as Prisma reads them. */
export class Statements {
  private readonly kept = new Map<string, { stmt: SyncStatement } & Converted>();
  private readonly tables = new Map<string, boolean>();

  constructor(private readonly c: DirectConnection) {}

  run(sql: string, args: unknown[]): number {
    return this.statement(sql).stmt.run(...args).changes;
  }

  /** One row, with its DATETIME columns as Dates (the adapter's reading of the same column), or undefined. */
  get<R>(sql: string, args: unknown[]): R | undefined {
    const { stmt, dates, bools, ints } = this.statement(sql);
    const row = stmt.get(...args) as Record<string, unknown> | undefined;
    if (!row) return undefined;
    for (const k of dates) if (row[k] !== null) row[k] = asDate(row[k]);
    for (const k of bools) if (row[k] !== null) row[k] = Number(row[k]) === 1;
    for (const k of ints) if (typeof row[k] === 'bigint') row[k] = Number(row[k]); // the adapter reads safe integers
    return row as R;
  }

  /** Whether `table` has exactly these columns with these declared types (asked once per connection). */
  tableIs(table: string, columns: Columns): boolean {
    let same = this.tables.get(table);
    if (same === undefined) {
      const found = this.c.prepare(`PRAGMA table_info("${table}")`).all() as Array<{ name: string; type: string }>;
      same =
        found.length === Object.keys(columns).length && found.every((col) => columns[col.name]?.toUpperCase() === col.type.toUpperCase());
      this.tables.set(table, same);
    }
    return same;
  }

  private statement(sql: string) {
    let k = this.kept.get(sql);
    if (!k) {
      let stmt: SyncStatement;
      try {
        stmt = this.c.prepare(sql);
      } catch (err) {
        throw new NotDirect(`cannot prepare: ${(err as Error).message}`); // e.g. a table or column renamed
      }
      k = { stmt, ...rowColumns(stmt) };
      this.kept.set(sql, k);
    }
    return k;
  }
}

/** Column types Prisma reads as they come out of SQLite; DATETIME, BOOLEAN and INTEGER are converted; another (a changed type) goes to Prisma. */
const PLAIN = new Set(['TEXT', 'REAL']);
type Converted = { dates: string[]; bools: string[]; ints: string[] };

function rowColumns(stmt: SyncStatement): Converted {
  const out: Converted = { dates: [], bools: [], ints: [] };
  let columns: ReturnType<SyncStatement['columns']>;
  try {
    columns = stmt.columns();
  } catch {
    return out; // a statement that returns no rows
  }
  for (const { name, type } of columns) {
    const t = type?.toUpperCase() ?? '';
    if (t === 'DATETIME') out.dates.push(name);
    else if (t === 'BOOLEAN') out.bools.push(name);
    else if (t === 'INTEGER') out.ints.push(name);
    else if (!PLAIN.has(t)) throw new NotDirect(`column ${name} of type ${type} is not read here`);
  }
  return out;
}

/**
 * A DATETIME as Prisma's adapter reads it: text without a zone (SQLite's CURRENT_TIMESTAMP, the sqlite3
 * shell) is UTC, not the server's local time; a number (a safe integer arrives as a bigint) is milliseconds.
 */
function asDate(v: unknown): Date {
  if (typeof v === 'bigint' || typeof v === 'number') return new Date(Number(v));
  const text = String(v);
  return new Date(/(Z|[+-]\d\d:?\d\d)$/i.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** A Date as the adapter writes it (its default `iso8601` format), so Prisma reads it back the same. */
export const sqliteDate = (d: Date) => d.toISOString().replace('Z', '+00:00');
