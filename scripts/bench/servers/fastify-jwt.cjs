'use strict';
/**
 * Fastify 5 + @fastify/jwt: the route verifies an HS256 token (Authorization: Bearer), then answers. It
 * logs each request as the app does: its own pino logger (pino's options as the app's createLogger, an
 * asynchronous stdout), one line per answered request with the app's fields (method, path, status, ms,
 * ip as trusted behind one proxy, X-Request-ID), and not Fastify's own two lines per request.
 */
const pino = require('pino');
const { port, host, body, secret } = require('./common.cjs');

const logger = pino(
  { level: 'info', base: undefined, formatters: { level: (label) => ({ level: label }) } },
  pino.destination({ dest: 1, sync: false }),
);
const fastify = require('fastify')({ loggerInstance: logger, disableRequestLogging: true, trustProxy: 1 });

fastify.register(require('@fastify/jwt'), { secret: secret(), verify: { algorithms: ['HS256'] } });
fastify.addHook('onResponse', async (request, reply) => {
  logger.info(
    {
      method: request.method,
      path: request.url.split('?', 1)[0],
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ip: request.ip,
      requestId: request.headers['x-request-id'] || undefined,
    },
    'request',
  );
});
fastify.get(
  '/api/auth/me',
  {
    onRequest: async (request) => {
      await request.jwtVerify();
    },
  },
  async () => body,
);
fastify.listen({ port, host });
