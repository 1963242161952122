import type { Context, Next } from 'koa';

/** nginx on this machine: the only peer whose X-Forwarded-For / -Proto the app believes. */
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * Forwarded headers are believed from nginx only. A client that reaches the app directly (a port opened
 * by mistake, a container) cannot choose its ctx.ip (the login rate limit counts by it) or ctx.protocol,
 * and nobody sets ctx.host (nginx clears X-Forwarded-Host too).
 */
export function forwardedFromProxyOnly(ctx: Context, next: Next) {
  const headers = ctx.req.headers;
  delete headers['x-forwarded-host'];
  if (!LOOPBACK.test(ctx.req.socket.remoteAddress ?? '')) {
    delete headers['x-forwarded-for'];
    delete headers['x-forwarded-proto'];
  }
  return next();
}
