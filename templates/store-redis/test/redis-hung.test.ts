import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { createStore } from '../src/stores/store';
import { loadConfig } from '../src/config';
import type { PrismaClient } from '../src/generated/prisma/client';
import { memoryLogger } from '../src/platform/log';
import { testDatabaseUrl } from './support/database';
import { deleteKeysNaming } from './support/redis-leftovers';
import { startTestApp } from './support/test-app';

/**
 * A hung Redis accepts the connection and then never answers (a stopped process, a full disk, a network
 * black hole). Every store call is bounded: past its bound the request is a 503, not a stalled login.
 */
const REDIS = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

/** A TCP proxy to the real Redis that, from `hang()` until `recover()`, swallows everything and answers nothing. */
async function hangingProxy() {
  let hung = false;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(REDIS.port || 6379), REDIS.hostname);
    sockets.add(client).add(upstream);
    client.on('data', (d) => void (hung || upstream.write(d)));
    upstream.on('data', (d) => void (hung || client.write(d)));
    for (const s of [client, upstream]) s.on('error', () => undefined).on('close', () => (client.destroy(), upstream.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(REDIS);
  url.host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: url.toString(),
    hang: () => void (hung = true),
    recover: () => void (hung = false),
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

test('Redis hangs while the app runs: logins and authenticated requests answer 503 within the bound, not when Redis recovers', async () => {
  const proxy = await hangingProxy();
  const t = await startTestApp({ redisUrl: proxy.url });
  try {
    const { auth } = await t.login();
    proxy.hang();
    for (const send of [
      () => t.http().post('/api/auth/login').send({ code: t.fake.newLogin().code }),
      () => t.http().get('/api/auth/me').set('Authorization', auth),
    ]) {
      const started = Date.now();
      const res = await send();
      expect(Date.now() - started).toBeLessThan(2500); // one bound (1 s) and some slack, not one per store call
      expect(res.status).toBe(503);
    }
  } finally {
    await proxy.close();
    await t.close().catch(() => undefined); // its Redis is gone: it cannot delete what it stored there...
    await deleteKeysNaming(t.appid); // ...so a connection of the test's own does (the login's session and counters)
  }
}, 30_000);

test('Redis answers again after a hang: logins work again within seconds, with no restart', async () => {
  const proxy = await hangingProxy();
  const t = await startTestApp({ redisUrl: proxy.url });
  try {
    await t.login();
    proxy.hang();
    expect((await t.http().post('/api/auth/login').send({ code: t.fake.newLogin().code })).status).toBe(503);
    proxy.recover();
    let status = 0;
    for (const started = Date.now(); status !== 200 && Date.now() - started < 5000;) {
      status = (await t.http().post('/api/auth/login').send({ code: t.fake.newLogin().code })).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200); // an instance never stays broken after Redis comes back
  } finally {
    await proxy.close();
    await t.close().catch(() => undefined);
    await deleteKeysNaming(t.appid);
  }
}, 30_000);

test('Redis hung at start (it accepts, never answers): one line naming REDIS_URL within seconds, nothing left open', async () => {
  const silent = net.createServer(() => undefined);
  const held = new Set<net.Socket>();
  silent.on('connection', (s) => held.add(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  const config = loadConfig({
    WX_APPID: 'wx0123456789abcdef',
    WX_SECRET: 's',
    JWT_SECRET: 'x'.repeat(48),
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: `redis://127.0.0.1:${port}`,
  });
  const started = Date.now();
  try {
    const err = await createStore(config, { prisma: {} as PrismaClient, log: memoryLogger() }).catch((e: unknown) => e as Error);
    expect((err as Error).message).toMatch(
      new RegExp(`^Redis does not answer at REDIS_URL=redis://127\\.0\\.0\\.1:${port} \\(.*\\): start it, or fix REDIS_URL in \\.env\\.$`),
    );
    expect(Date.now() - started).toBeLessThan(8000);
  } finally {
    held.forEach((s) => s.destroy());
    silent.close();
  }
}, 20_000);
