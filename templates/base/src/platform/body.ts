import bodyParser from '@koa/bodyparser';
import type { Context, Middleware } from 'koa';
import type { z } from 'zod';
import { badRequest, httpError } from './errors';

/**
 * For routes that take a JSON body (and only those, so GETs skip the parser): a body that is not JSON
 * is a 415, bad JSON a 400, more than `limit` a 413.
 */
export function jsonBody(limit = '1mb'): Middleware {
  const parse = bodyParser({ enableTypes: ['json'], jsonLimit: limit });
  return async function jsonBody(ctx, next) {
    const hasBody = (ctx.request.length ?? 0) > 0 || ctx.get('transfer-encoding') !== '';
    if (hasBody && !ctx.is('json'))
      throw httpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as JSON (content-type: application/json).');
    try {
      await parse(ctx, async () => undefined);
    } catch (err) {
      throw unreadable(err);
    }
    return next();
  };
}

/**
 * An error while reading a body is the client's: the parser's own 4xx (bad JSON, too large, an unknown
 * encoding, a body cut short) stands; anything else (gzip, deflate or br bytes that do not inflate) is a 400.
 */
function unreadable(err: unknown): unknown {
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return err;
  return httpError(400, 'BAD_REQUEST', 'The body could not be read: its compressed bytes are damaged.', { cause: err });
}

/**
 * The raw body of a request, refusing past `max` bytes (413) and turning a broken stream into a 400. On
 * 413 the rest is not read: the answer says Connection: close, and the socket ends after it.
 */
export function readRawBody(ctx: Context, max: number, tooLargeMessage: string): Promise<Buffer> {
  const tooLarge = () => httpError(413, 'PAYLOAD_TOO_LARGE', tooLargeMessage, { headers: { Connection: 'close' } });
  if (Number(ctx.get('content-length') || 0) > max) return Promise.reject(tooLarge());
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err: Error | null) => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('aborted', onAborted);
      if (err) {
        req.pause(); // nothing more is read; the socket closes after the answer
        reject(err);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) return done(tooLarge());
      chunks.push(chunk);
    };
    const onEnd = () => done(null);
    const onError = (err: Error) => done(httpError(400, 'BAD_REQUEST', 'The body could not be read.', { cause: err }));
    const onAborted = () => done(httpError(400, 'BAD_REQUEST', 'The body was cut short.'));
    req.on('data', onData).on('end', onEnd).on('error', onError).on('aborted', onAborted);
  });
}

/** Error codes for fields whose mistakes the client handles apart from other bad requests. */
const FIELD_CODES: Record<string, string> = { code: 'INVALID_CODE' };

/** A request's body, query or path parameters checked against `schema`; the first problem becomes a 400 that names it. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = String(issue.path[0] ?? '');
  const message = issue.code === 'invalid_type' && issue.path.length === 0 ? 'The body must be a JSON object.' : issue.message;
  throw badRequest(message, FIELD_CODES[field] ?? 'BAD_REQUEST');
}
