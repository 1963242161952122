'use strict';
/** Bare Koa 3: one middleware answering the JSON. The yardstick every other row is divided by. */
const Koa = require('koa');
const { port, host, body } = require('./common.cjs');

const app = new Koa();
app.use(function answer(ctx) {
  ctx.body = body;
});
app.listen(port, host);
