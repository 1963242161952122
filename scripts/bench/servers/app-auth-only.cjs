'use strict';
/**
 * The generated app's own authentication (its JwtAuth: token memo, session cache, the session store) on
 * bare Koa, answering /api/auth/me from a built project (APP_DIR), without its router, error handler or
 * request log: with the app's rows it splits the app's cost into authentication and the rest.
 */
const path = require('node:path');
const Koa = require('koa');
const { port, host } = require('./common.cjs');

const dist = (file) => require(path.join(process.env.APP_DIR, 'dist', file));
const { loadConfig } = dist('config');
const { createDeps } = dist('deps');
const { createLogger } = dist('platform/log');
const { JwtAuth } = dist('auth/jwt-auth');
const { publicUser } = dist('users/users');

async function main() {
  const config = loadConfig();
  const deps = await createDeps(config, createLogger({ level: 'warn' }));
  const auth = new JwtAuth({
    tokens: deps.tokens,
    store: deps.store,
    prisma: deps.prisma,
    ttlSeconds: config.sessionTtlSeconds,
    maxAgeSeconds: config.sessionMaxAgeSeconds,
    touchIntervalSeconds: config.sessionTouchIntervalSeconds,
    sessionsPerUser: config.sessionsPerUser,
    cacheMs: config.sessionCacheMs,
  });
  const app = new Koa({ proxy: true, maxIpsCount: 1 });
  app.use(auth.middleware());
  app.use(function me(ctx) {
    if (!ctx.state.jwtUser) ctx.throw(401);
    ctx.body = { user: publicUser(ctx.state.jwtUser) };
  });
  app.listen(port, host);
  process.once('SIGTERM', () => deps.close().finally(() => process.exit(0)));
}
main();
