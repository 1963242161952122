'use strict';
/**
 * Bare Koa plus one pino line per request, with the generated app's request-log fields and pino set up
 * as the app sets it up (level names, no pid/hostname, stdout written without a write(2) per line): what
 * logging every request costs any Koa app, before authentication and routing.
 */
const Koa = require('koa');
const pino = require('pino');
const { port, host, body } = require('./common.cjs');

const log = pino({ base: undefined, formatters: { level: (label) => ({ level: label }) } }, pino.destination({ dest: 1, sync: false }));
const app = new Koa({ proxy: true, maxIpsCount: 1 });
app.use(async function requestLog(ctx, next) {
  const started = performance.now();
  try {
    await next();
  } finally {
    log.info(
      {
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ip: ctx.ip,
        requestId: ctx.get('x-request-id') || undefined,
      },
      'request',
    );
  }
});
app.use(function answer(ctx) {
  ctx.body = body;
});
app.listen(port, host);
