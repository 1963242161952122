'use strict';
/**
 * Koa + koa-jwt with a string secret, as its README shows: jsonwebtoken re-parses a string secret on
 * every verify (it tries it as a PEM key first), which is why this row is so low.
 */
const Koa = require('koa');
const jwt = require('koa-jwt');
const { port, host, body, secret } = require('./common.cjs');

const app = new Koa();
app.use(jwt({ secret: secret(), algorithms: ['HS256'] }));
app.use(function answer(ctx) {
  ctx.body = body;
});
app.listen(port, host);
