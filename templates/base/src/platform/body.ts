import bodyParser from '@koa/bodyparser';
import type { Middleware } from 'koa';
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
    return parse(ctx, next);
  };
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
