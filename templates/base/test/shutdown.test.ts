import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import path from 'node:path';
import { Drain } from '../src/platform/shutdown';
import { testDatabaseUrl } from './support/database';
import { APP_SECRET, JWT_SECRET, startTestApp, type TestApp } from './support/test-app';

/**
 * What SIGTERM must do behind nginx (PM2 and systemd send it on every deploy): requests in flight finish
 * and say `Connection: close`; requests already sent on idle kept-alive sockets are answered too; one
 * pipelined behind an answer that says close is not processed (a login there would use up its
 * single-use WeChat code and never be answered); the stores close; the process exits 0, well inside
 * SHUTDOWN_TIMEOUT_MS.
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ wxTimeoutMs: 1500 });
});
afterAll(() => t.close());

const loginRequest = (code: string) => {
  const body = JSON.stringify({ code });
  return `POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};

test('in flight: answered with Connection: close; a new request on its kept-alive socket after SIGTERM: never processed', async () => {
  const drain = new Drain(5000);
  const server = http.createServer(drain.wrap(t.app.callback()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const slow = t.fake.newLogin(); // WeChat takes its time: the login is in flight when SIGTERM comes
  t.fake.failCode(slow.code, 'hang');
  const next = t.fake.newLogin(); // a second login already on its way on the same kept-alive socket
  const before = t.fake.calls.jscode2session;

  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(loginRequest(slow.code));
  await new Promise((r) => setTimeout(r, 300)); // the first request is inside the app now

  const started = Date.now();
  const stopped = drain.stop(server); // SIGTERM
  socket.write(loginRequest(next.code)); // and then a new request on the same kept-alive socket
  const finishedInTime = await stopped;
  await closed;

  expect(finishedInTime).toBe(true);
  expect(Date.now() - started).toBeLessThan(3000);
  const answers = received.split(/(?=HTTP\/1\.1 )/).filter(Boolean);
  expect(answers).toHaveLength(1); // the late login got no answer...
  expect(answers[0]).toMatch(/^HTTP\/1\.1 504 /); // (WeChat never answered the first: a clean 504)
  expect(answers[0]).toMatch(/\r\nConnection: close\r\n/i);
  expect(t.fake.calls.jscode2session - before).toBe(1); // ...and was never processed: its code is unused
  const retry = await t.http().post('/api/auth/login').send({ code: next.code });
  expect(retry.status).toBe(200); // so the client's retry (on another instance) logs in with it
});

test('SIGTERM just after 6 kept-alive sockets were each sent a GET: all 6 answered (Connection: close), then closed', async () => {
  const drain = new Drain(5000);
  const server = http.createServer(drain.wrap(t.app.callback()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const get = 'GET /livez HTTP/1.1\r\nHost: x\r\n\r\n';
  const sockets = await Promise.all(
    Array.from({ length: 6 }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      const s = { socket, received: '', closed: new Promise<void>((resolve) => socket.on('close', () => resolve())) };
      socket.on('data', (d) => (s.received += d));
      socket.on('error', () => undefined); // a reset shows as a missing answer below
      socket.write(get);
      for (let i = 0; i < 100 && !s.received.includes('\r\n\r\n'); i++) await new Promise((r) => setTimeout(r, 10));
      return s; // answered once: kept alive and idle now
    }),
  );
  for (const s of sockets) s.socket.write(get); // six GETs on their way...
  expect(await drain.stop(server)).toBe(true); // ...when SIGTERM comes
  await Promise.all(sockets.map((s) => s.closed));
  for (const s of sockets) {
    const answers = s.received.split(/(?=HTTP\/1\.1 )/).filter(Boolean);
    expect(answers.map((a) => a.slice(9, 12))).toEqual(['200', '200']);
    expect(answers[1]).toMatch(/\r\nConnection: close\r\n/i);
  }
});

test('SIGTERM while a streamed answer is under way, a request pipelined behind it: both answered, the second with Connection: close', async () => {
  const drain = new Drain(5000);
  const server = http.createServer(
    drain.wrap((req, res) => {
      if (req.url === '/second') return void setTimeout(() => res.end('second'), 500); // still working when the first ends
      res.write('first, '); // its headers are out: too late for it to say Connection: close
      setTimeout(() => res.end('done'), 300);
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  socket.on('data', (d) => (received += d));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\n\r\n'); // pipelined
  for (let i = 0; i < 100 && !received.includes('first, '); i++) await new Promise((r) => setTimeout(r, 10));

  const started = Date.now();
  expect(await drain.stop(server)).toBe(true); // SIGTERM: both were accepted before it
  await closed;
  expect(Date.now() - started).toBeLessThan(2000); // closed after the second answer, not cut at the 5 s bound
  const answers = received.split(/(?=HTTP\/1\.1 )/);
  expect(answers).toHaveLength(2);
  expect(answers[0]).toMatch(/first, .*done/s);
  expect(answers[1]).toMatch(/\r\nConnection: close\r\n.*second$/s);
});

test('an idle kept-alive socket is closed at once, and new connections are refused', async () => {
  const drain = new Drain(5000);
  const server = http.createServer(drain.wrap(t.app.callback()));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new http.Agent({ keepAlive: true });
  const status = await new Promise<number>((resolve, reject) =>
    http.get({ port, host: '127.0.0.1', path: '/livez', agent }, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject),
  );
  expect(status).toBe(200);
  const started = Date.now();
  expect(await drain.stop(server)).toBe(true);
  expect(Date.now() - started).toBeLessThan(1000);
  await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(
    /ECONNREFUSED/,
  );
  agent.destroy();
});

test('a busy port: one line, exit 1, no stack', async () => {
  const busy = net.createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const port = (busy.address() as AddressInfo).port;
  try {
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'src/server.ts'], {
      cwd: path.join(__dirname, '..'),
      env: { ...serverEnv(), PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (d) => (errors += d));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(errors.trim()).toBe(`PORT ${port} is in use (another instance, or another program): set PORT in .env.`);
  } finally {
    busy.close();
  }
}, 20_000);

test('the real server on SIGTERM: stores closed, exit 0, well inside SHUTDOWN_TIMEOUT_MS', async () => {
  const root = path.join(__dirname, '..');
  const env = { ...serverEnv(), PORT: '0' };
  // tsx as a loader in the app's own process: tsx's CLI relays SIGTERM through a second process and
  // SIGKILLs the app (exit 143) when its child is slow to acknowledge, as on a busy machine
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (let i = 0; i < 200 && !/"msg":"listening"/.test(output); i++) await new Promise((r) => setTimeout(r, 50));
  expect(output).toMatch(/"msg":"listening"/);

  const started = Date.now();
  child.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(output).toContain('stopped: requests finished, stores closed');
}, 20_000);

/** The environment the real server starts with here: this test app's fake WeChat and database. */
function serverEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'development',
    WX_APPID: t.appid,
    WX_SECRET: APP_SECRET,
    WX_API_BASE: t.fake.url,
    JWT_SECRET,
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    HOST: '127.0.0.1',
    SHUTDOWN_TIMEOUT_MS: '8000',
  };
}
