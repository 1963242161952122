import { STATUS_CODES } from 'node:http';
import createError, { isHttpError, type HttpError } from 'http-errors';
import type { Middleware } from 'koa';
import { z } from 'zod';
import type { Logger } from './log';

/**
 * An error meant for the client: Koa's own recipe (`http-errors`, what `ctx.throw` makes) with a stable
 * `code` the client can branch on. Its message is shown to the client, so it must be safe to show.
 */
export function httpError(status: number, code: string, message: string, props: Record<string, unknown> = {}): HttpError {
  return createError(status, message, { ...props, code, expose: true });
}

/**
 * A bug in this app's code (a TypeError, ReferenceError or RangeError thrown from outside node_modules,
 * or a query Prisma refuses to build), not a dependency that failed: it must stay a 500, and the log must
 * say so. The same errors thrown inside a driver are the driver's failure (better-sqlite3 throws a
 * TypeError when it cannot open the database file).
 */
export function isBug(err: unknown): boolean {
  if ((err as { name?: unknown } | null)?.name === 'PrismaClientValidationError') return true;
  if (!(err instanceof TypeError || err instanceof ReferenceError || err instanceof RangeError)) return false;
  const frame = err.stack?.split('\n').find((line) => /^\s+at .*[/\\]/.test(line));
  return !frame?.includes('node_modules');
}

/**
 * For `.catch()` around a call to a dependency (the database, the session store): its failure becomes
 * `make()` (e.g. 503 SESSION_STORE_UNAVAILABLE) with the failure kept as its `cause`, which the error
 * handler logs with it, once. A bug, or an error already meant for the client, goes through unchanged.
 */
export function failsAs(make: (cause: unknown) => HttpError): (cause: unknown) => never {
  return (cause) => {
    throw failure(make, cause);
  };
}

/** What to throw for `cause` (see failsAs), in a `catch` block: `throw failure(databaseUnavailable, err)`. */
export function failure(make: (cause: unknown) => HttpError, cause: unknown): unknown {
  if (isBug(cause) || (isHttpError(cause) && cause.expose)) return cause;
  return Object.assign(make(cause), { cause });
}

export const badRequest = (message: string, code = 'BAD_REQUEST') => httpError(400, code, message);
export const unauthorized = () => httpError(401, 'UNAUTHORIZED', 'Log in first: call wx.login() and POST the code to /api/auth/login.');

/** `Not Found` → `NOT_FOUND`: Node's own status names, so there is no table of ours to keep. */
export function statusCode(status: number): string {
  return (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export interface ErrorBody {
  status: number;
  code: string;
  message: string;
}

/**
 * The answer for an error. Errors with a 4xx status (http-errors, the body parser) keep their status;
 * exposed ones (ours) also their code and message. Anything else is a bare 500, its details logged only.
 */
export function errorBody(err: unknown): ErrorBody {
  const e = (err ?? {}) as { status?: unknown; expose?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.status === 'number' && e.status >= 400 && e.status <= 599 ? e.status : 500;
  if (status >= 500 && e.expose !== true) return { status: 500, code: 'INTERNAL', message: 'Internal server error.' };
  const code = e.expose === true && typeof e.code === 'string' ? e.code : statusCode(status);
  if (err instanceof SyntaxError) return { status, code, message: 'The body is not valid JSON.' };
  return {
    status,
    code,
    message: e.expose === true && typeof e.message === 'string' ? e.message : `${STATUS_CODES[status] ?? 'Bad request'}.`,
  };
}

/**
 * The first middleware after the request log: every error, and every 404/405 Koa would answer in
 * plain text, becomes `{ error: { code, message } }`. Details of server errors go to the log only.
 */
export function errorHandler(log: Logger): Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
      // No route (404), or a route without this method (405, with its Allow header): JSON like the rest.
      if (ctx.body === undefined && ctx.status >= 400) {
        const status = ctx.status;
        const message = status === 404 ? 'No such route.' : `${STATUS_CODES[status] ?? 'Error'}.`;
        ctx.body = { error: { code: statusCode(status), message } };
        ctx.status = status; // a body alone would make it a 200
      }
    } catch (err) {
      const { status, code, message } = errorBody(err);
      ctx.status = status;
      ctx.body = { error: { code, message } };
      if (isHttpError(err) && err.headers) ctx.set(err.headers);
      // logged here only, with what caused it (`err.cause`, in the line's message and stack)
      const what = status === 500 && isBug(err) ? 'request failed: a bug in the code (500)' : 'request failed';
      if (status >= 500) log.error({ err, method: ctx.method, path: ctx.path, status }, what);
    }
  };
}

/** Every error answer: `{ error: { code, message } }` (the OpenAPI document's ErrorAnswer). */
export const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).meta({ id: 'ErrorAnswer' });
