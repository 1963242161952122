import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { startTestApp, type TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two instances sharing one Redis', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // SESSION_CACHE_MS at its maximum: without events, B would keep trusting a logged-out session for 10 s
    a = await startTestApp({ sessionCacheMs: 10_000 });
    b = await startTestApp({ sessionCacheMs: 10_000, sameAppAs: a });
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  test('a logout on one instance is refused on the other within 100 ms, though the other had it cached', async () => {
    const windows: number[] = [];
    for (let trial = 0; trial < 5; trial++) {
      const { auth } = await a.login();
      expect((await b.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200); // now cached on B
      expect((await a.http().post('/api/auth/logout').set('Authorization', auth)).status).toBe(204);
      const loggedOut = Date.now();
      // the window: how long after the logout's answer B still accepted a request it received
      let windowMs = 0;
      let status = 200;
      while (status === 200 && Date.now() - loggedOut < 1000) {
        const sent = Date.now();
        status = (await b.http().get('/api/auth/me').set('Authorization', auth)).status;
        if (status === 200) windowMs = sent - loggedOut;
      }
      expect(status).toBe(401);
      windows.push(windowMs);
    }
    expect(Math.max(...windows)).toBeLessThan(100);
  });

  test('a session removed by logout-all or eviction is refused on the other instance at once too', async () => {
    const openid = `o_two_${Date.now()}`;
    const first = await a.login({}, { openid });
    const second = await a.login({}, { openid });
    expect((await b.http().get('/api/auth/me').set('Authorization', first.auth)).status).toBe(200);
    await a.http().post('/api/auth/logout-all').set('Authorization', second.auth).send({ keepCurrent: true });
    await sleep(100);
    expect((await b.http().get('/api/auth/me').set('Authorization', first.auth)).status).toBe(401);
    expect((await b.http().get('/api/auth/me').set('Authorization', second.auth)).status).toBe(200);
  });
});

test('the login rate limit per IP is counted in Redis, for both instances together', async () => {
  const a = await startTestApp({ loginRatePerIp: 5 });
  const b = await startTestApp({ loginRatePerIp: 5, sameAppAs: a });
  try {
    const bad = (t: TestApp, i: number) =>
      t
        .http()
        .post('/api/auth/login')
        .set('X-Forwarded-For', '192.0.2.44')
        .send({ code: `bad_${i}` });
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await bad(a, i)).status, (await bad(b, i)).status);
    expect(answers.filter((s) => s === 429)).toHaveLength(3); // 8 tries, 5 allowed between them
  } finally {
    await b.close();
    await a.close();
  }
});

/** A TCP relay to Redis that the test can cut, to take "Redis" away from a running app. */
async function relayToRedis(): Promise<{ url: string; cut: () => void; restore: () => void; close: () => Promise<void> }> {
  const target = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = net.connect(Number(target.port || 6379), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = new URL(target);
  url.port = String((server.address() as AddressInfo).port);
  url.hostname = '127.0.0.1';
  const cut = () => {
    open = false;
    for (const s of sockets) s.destroy();
  };
  const close = () => {
    cut();
    return new Promise<void>((r) => server.close(() => r()));
  };
  return { url: url.toString(), cut, restore: () => (open = true), close };
}

test('Redis down: /readyz is 503 REDIS_UNAVAILABLE, /livez stays 200, and the log says logouts now take SESSION_CACHE_MS', async () => {
  const relay = await relayToRedis();
  const t = await startTestApp({ redisUrl: relay.url });
  try {
    expect((await t.http().get('/readyz')).status).toBe(200);
    relay.cut();
    await sleep(1100); // /readyz keeps its answer for 1 s
    const ready = await t.http().get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('REDIS_UNAVAILABLE');
    expect((await t.http().get('/healthz')).status).toBe(503);
    const live = await t.http().get('/livez');
    expect(live.status).toBe(200);
    expect(t.log.lines.some((l) => l.includes('subscription lost'))).toBe(true);
  } finally {
    relay.restore(); // let the app reconnect, so that it closes cleanly
    for (
      let i = 0;
      i < 60 &&
      !(await t.deps.readiness!.redis().then(
        () => true,
        () => false,
      ));
      i++
    )
      await sleep(100);
    await t.close();
    await relay.close();
  }
});
