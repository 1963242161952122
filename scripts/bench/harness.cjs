'use strict';
/**
 * Runs inside a generated, built project (copied there by scripts/bench.mjs): the real app from dist/,
 * plus two reference routes returning a JSON body as long as /api/auth/me's:
 * - /bench/bare: a route of the app's own router with no guard. It takes the same path as every route
 *   (request log, errors, body parser, the jwt-session middleware finding no token, the router), so
 *   /api/auth/me against it is the cost of authentication itself.
 * - /bench/raw: a middleware answering before the body parser and the router: what a route costs
 *   with no routing at all, to show @koa/router's own share.
 */
const { loadConfig } = require('./dist/config');
const { createDeps } = require('./dist/deps');
const { createApp } = require('./dist/app');
const { createLogger } = require('./dist/log');

async function main() {
  const config = loadConfig(process.env);
  const deps = await createDeps(config, createLogger());
  const app = createApp(deps);
  let bare = {};
  app.middleware.find((fn) => fn.router).router.get('/bench/bare', function bareRoute(ctx) {
    ctx.body = bare;
  });
  app.middleware.splice(app.middleware.findIndex((fn) => fn.name === 'errorHandler') + 1, 0, async function rawRoute(ctx, next) {
    if (ctx.path === '/bench/raw') {
      ctx.body = bare;
    } else if (ctx.path === '/bench/size') {
      // a body whose JSON is exactly as long as /api/auth/me's
      const bytes = Number(ctx.query.bytes);
      bare = { user: { pad: 'x'.repeat(bytes - JSON.stringify({ user: { pad: '' } }).length) } };
      ctx.body = { bytes: JSON.stringify(bare).length };
    } else {
      await next();
    }
  });
  app.listen(config.port, config.host, () => process.stderr.write('listening\n'));
  process.on('SIGINT', () => process.exit(0)); // a clean exit, so that --cpu-prof writes its profile
}

main().catch((err) => {
  process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});
