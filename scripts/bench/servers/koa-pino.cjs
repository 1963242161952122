'use strict';
/**
 * Bare Koa plus the generated app's own request log (its requestLog middleware and pino logger, from a
 * built project: APP_DIR), and nothing else: what logging every request costs any Koa app, before
 * authentication and routing.
 */
const path = require('node:path');
const Koa = require('koa');
const { port, host, body } = require('./common.cjs');

const dist = (file) => require(path.join(process.env.APP_DIR, 'dist', file));
const { createLogger } = dist('platform/log');
const { requestLog } = dist('platform/request-log');

const app = new Koa({ proxy: true, maxIpsCount: 1 });
app.use(requestLog(createLogger({ level: 'info' })));
app.use(function answer(ctx) {
  ctx.body = body;
});
app.listen(port, host);
