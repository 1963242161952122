import type { HttpError } from 'http-errors';
import { httpError } from './errors';

/**
 * What an operator must do about a database error, when it is one they fix rather than wait out: the
 * schema was never migrated, or the server refuses the credentials. The three drivers say it in their
 * own codes (Prisma's P2021/P1000, PostgreSQL's SQLSTATE, MySQL's errno, SQLite's text), so this looks
 * at the error and its causes. MySQL's bare numbers must not be a part of a UUID (a user id in a message). Anything else (a server down, a timeout) is null: "does not answer".
 */
export function databaseProblem(err: unknown): { code: string; message: string } | null {
  const text = describe(err);
  if (/\bP2021\b|no such table|relation .* does not exist|table .* does(n't| not) exist|\b42P01\b|(?<![\w-])1146(?![\w-])/i.test(text)) {
    return {
      code: 'DATABASE_NOT_MIGRATED',
      message: 'The database has no tables yet (not migrated): run `prisma migrate deploy` (the db:migrate script), then retry.',
    };
  }
  if (
    /\bP1000\b|access denied|password authentication failed|authentication failed|\b28P01\b|\b28000\b|(?<![\w-])104[45](?![\w-])/i.test(
      text,
    )
  ) {
    return {
      code: 'DATABASE_ACCESS_DENIED',
      message: 'The database refused the credentials in DATABASE_URL (access denied): fix the user or password there.',
    };
  }
  return null;
}

/**
 * What a request answers when the database failed (`failsAs(databaseUnavailable)`): 503, and the fix when
 * it is one an operator makes (never migrated, access denied), else "does not answer" (the client may retry).
 */
export function databaseUnavailable(cause?: unknown): HttpError {
  return databaseFix(cause) ?? httpError(503, 'DATABASE_UNAVAILABLE', 'The database does not answer; retry shortly.');
}

/** 503 with the operator's fix when `cause` is a database problem they must fix, else undefined. */
export function databaseFix(cause: unknown): HttpError | undefined {
  const problem = databaseProblem(cause);
  return problem ? httpError(503, problem.code, problem.message) : undefined;
}

/** The error's code, message and those of its causes, as one text (the drivers nest the real one). */
function describe(err: unknown, depth = 0): string {
  if (!err || typeof err !== 'object' || depth > 4) return String(err ?? '');
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
  const own = [e.code, e.errno, e.message].filter((v) => v !== undefined).join(' ');
  const meta = e.meta && typeof e.meta === 'object' ? JSON.stringify(e.meta) : '';
  return `${own} ${meta} ${describe(e.cause, depth + 1)}`;
}

/** The readiness check of the database: one cheap query on a table, so that "not migrated" shows too. */
export async function checkDatabase(query: () => Promise<unknown>): Promise<void> {
  try {
    await query();
  } catch (err) {
    const problem = databaseProblem(err);
    if (problem) throw httpError(503, problem.code, problem.message, { cause: err });
    throw err;
  }
}
