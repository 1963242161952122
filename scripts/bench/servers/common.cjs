'use strict';
/**
 * What every reference server shares: the port (PORT), the JSON it answers (BENCH_BODY, the generated
 * app's own /api/auth/me body, so every server sends the same bytes) and the HS256 secret (JWT_SECRET).
 */
const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};

module.exports = {
  port: Number(env('PORT')),
  host: '127.0.0.1',
  /** Parsed once: each server serialises it per request, as the app does. */
  body: JSON.parse(env('BENCH_BODY')),
  secret: () => env('JWT_SECRET'),
};
