import type { Middleware } from 'koa';
import type { Logger } from './log';

/**
 * One line per request, with the status the client got: path without the query string, the client IP
 * as Koa trusts it (nginx's last hop), and nginx's X-Request-ID to match its logs. No headers, no body.
 */
export function requestLog(log: Logger): Middleware {
  // These fixed fields hold nothing secret, so this line skips the redaction paths every other log call
  // runs: pino's wildcard paths cost ~5 µs a line (7 µs against 1.5 µs without, measured alone).
  const line = log.child({}, { redact: [] });
  return async function requestLog(ctx, next) {
    const started = performance.now();
    const ip = ctx.ip; // now: once a body is refused mid-way its socket may be gone before the line is written
    try {
      await next();
    } finally {
      line.info(
        {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ip,
          requestId: ctx.get('x-request-id') || undefined,
        },
        'request',
      );
    }
  };
}
