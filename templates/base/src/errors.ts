import type { Middleware } from 'koa';
import type { Logger } from './log';

/** An error meant for the client: its status, a stable code and a message that is safe to show. */
export class HttpError extends Error {
  readonly expose = true;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, code = 'BAD_REQUEST') => new HttpError(400, code, message);
export const unauthorized = () => new HttpError(401, 'UNAUTHORIZED', 'Log in first: call wx.login() and POST the code to /api/auth/login.');

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE', 429: 'TOO_MANY_REQUESTS', 431: 'HEADERS_TOO_LARGE',
};

/** The answer for an error: ours keep code and message; other 4xx get a safe generic message; the rest is a 500. */
export function errorBody(err: unknown): { status: number; code: string; message: string } {
  if (err instanceof HttpError) return { status: err.status, code: err.code, message: err.message };
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  const status = typeof e.status === 'number' ? e.status : 500;
  if (status >= 400 && status < 500) {
    const message = err instanceof SyntaxError ? 'The body is not valid JSON.' : e.expose === true && typeof e.message === 'string' ? e.message : 'Bad request.';
    return { status, code: STATUS_CODES[status] ?? 'BAD_REQUEST', message };
  }
  return { status: 500, code: 'INTERNAL', message: 'Internal server error.' };
}

/**
 * The first middleware: every error becomes `{ error: { code, message } }`. Details of server errors go
 * to the log only, never to the response.
 */
export function errorHandler(log: Logger): Middleware {
  return async function errorHandler(ctx, next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw new HttpError(404, 'NOT_FOUND', 'No such route.');
    } catch (err) {
      const { status, code, message } = errorBody(err);
      ctx.status = status;
      ctx.body = { error: { code, message } };
      if (status >= 500) log.error('request failed', { method: ctx.method, path: ctx.path, status, err });
    }
  };
}
