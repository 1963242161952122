'use strict';
/** Koa 3 + @koa/router with one route: what routing alone costs. */
const Koa = require('koa');
const Router = require('@koa/router');
const { port, host, body } = require('./common.cjs');

const router = new Router();
router.get('/api/auth/me', function me(ctx) {
  ctx.body = body;
});
const app = new Koa();
app.use(router.routes()).use(router.allowedMethods());
app.listen(port, host);
