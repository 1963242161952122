'use strict';
/** Fastify 5 + @fastify/jwt: the route verifies an HS256 token (Authorization: Bearer), then answers. */
const fastify = require('fastify')({ logger: false });
const { port, host, body, secret } = require('./common.cjs');

fastify.register(require('@fastify/jwt'), { secret: secret(), verify: { algorithms: ['HS256'] } });
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
