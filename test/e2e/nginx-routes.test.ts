import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expectOk, generateProject, run } from '../support/e2e';
import { call, type Answer, type Call } from '../support/https-client';
import { freePorts } from '../support/ports';
import { Proc } from '../support/processes';

/**
 * Both nginx routes of the generated README, run as written with real nginx (Debian's 1.22), in front of
 * a stub upstream that records what reaches it:
 *   A: `nginx -p "$PWD/deploy/nginx/" -c nginx.conf` (the project's own nginx.conf, no file edited);
 *   B: the site installed into a copy of Debian's stock /etc/nginx, as README's commands put it there.
 * The test moves only what it must: listen ports (off 80/443), /etc/nginx → a copy, certbot's folder →
 * one holding a `npm run cert:dev` pair, and (for the 504 answer) proxy_read_timeout 30 s → 1 s.
 */
const DOMAIN = 'api.routes.test';
const NAME = 'nginx-routes';
let UP_A: number, UP_B: number; // the generated upstream: --port UP_A --instances 2
let ports: { A: { http: number; https: number }; B: { http: number; https: number; debianDefault: number } };

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}
const seen: Seen[] = [];
const upstreams: http.Server[] = [];
const procs: Proc[] = [];
let dir: string;
let etc: string; // the copy of /etc/nginx
let ca: Buffer;

function readmeBlock(readme: string, heading: string): string {
  const from = readme.indexOf(heading);
  expect(from).toBeGreaterThan(-1);
  const block = readme.slice(from).match(/```sh\n([\s\S]*?)```/);
  if (!block) throw new Error(`no sh block after ${heading}`);
  return block[1];
}

/** Runs shell lines in the project with output to a file (a daemonized nginx keeps its stderr open). */
function sh(script: string, what: string): void {
  const log = path.join(dir, `${what.replace(/\W+/g, '-')}.log`);
  const fd = fs.openSync(log, 'w');
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], { cwd: dir, stdio: ['ignore', fd, fd], timeout: 30_000 });
  fs.closeSync(fd);
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}:\n${script}\n${fs.readFileSync(log, 'utf8')}`);
}

/** The site's four listen lines → two loopback test ports (no IPv6 needed for the test). */
function moveListens(file: string, to: { http: number; https: number }): void {
  const text = fs.readFileSync(file, 'utf8');
  const moved = text
    .replace(/ {4}listen (80|127\.0\.0\.1:\d+);\n/, `    listen 127.0.0.1:${to.http};\n`)
    .replace(/ {4}listen (443|127\.0\.0\.1:\d+) ssl http2;\n/, `    listen 127.0.0.1:${to.https} ssl http2;\n`)
    .replace(/ {4}listen \[::\]:(80|443)[^\n]*\n/g, '');
  expect(moved.match(/^\s+listen /gm)).toHaveLength(2);
  fs.writeFileSync(file, moved.replace('proxy_read_timeout 30s;', 'proxy_read_timeout 1s;'));
}

/** A copy of Debian's /etc/nginx whose absolute paths (includes, pid, logs, default site port) are moved. */
function copyDebianNginx(): string {
  const to = path.join(dir, 'etc-nginx');
  fs.cpSync('/etc/nginx', to, { recursive: true, verbatimSymlinks: true });
  const conf = path.join(to, 'nginx.conf');
  const text = fs.readFileSync(conf, 'utf8');
  expect(text).toContain('include /etc/nginx/sites-enabled/*;'); // Debian's layout, as the README assumes
  fs.writeFileSync(
    conf,
    text.replaceAll('/etc/nginx/', `${to}/`).replace('pid /run/nginx.pid;', `pid ${to}/nginx.pid;`).replaceAll('/var/log/nginx/', `${to}/`),
  );
  const site = fs.readFileSync(path.join(to, 'sites-available', 'default'), 'utf8');
  fs.rmSync(path.join(to, 'sites-enabled', 'default'));
  fs.writeFileSync(
    path.join(to, 'sites-enabled', 'default'),
    site
      .replace('listen 80 default_server;', `listen 127.0.0.1:${ports.B.debianDefault} default_server;`)
      .replace('listen [::]:80 default_server;', ''),
  );
  return to;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (
      await call({ port, path: '/', host: DOMAIN }).then(
        () => true,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answers on ${port}`);
}

const via = (route: 'A' | 'B', c: Omit<Call, 'port'>): Promise<Answer> =>
  call({ port: ports[route].https, tls: { ca, servername: DOMAIN }, host: DOMAIN, ...c });

function expectNginxError(r: Answer, status: number, code: string): void {
  expect([r.status, r.headers['content-type'], r.json().error.code]).toEqual([status, 'application/json', code]);
  expect(typeof r.json().error.message).toBe('string');
  expect(r.headers['strict-transport-security']).toBe('max-age=63072000');
}

beforeAll(async () => {
  if (spawnSync('nginx', ['-v']).status !== 0) throw new Error('nginx is not installed: apt-get install nginx testssl.sh (.ci/run does)');
  if (!fs.existsSync('/etc/nginx/sites-available/default'))
    throw new Error("Debian's /etc/nginx layout is missing (apt-get install nginx)");
  const p = await freePorts(7, '127.0.0.1');
  [UP_A, UP_B] = p;
  ports = { A: { http: p[2], https: p[3] }, B: { http: p[4], https: p[5], debianDefault: p[6] } };
  for (const port of [UP_A, UP_B]) {
    const server = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      req.resume();
      if (req.url === '/slow') return; // never answers: nginx's 504
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ port })));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    expect((server.address() as AddressInfo).port).toBe(port);
    upstreams.push(server);
  }

  dir = generateProject(NAME, ['--domain', DOMAIN, '--port', String(UP_A), '--instances', '2']);
  const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  expectOk(await run('sh', ['scripts/self-signed-cert.sh'], { cwd: dir }), 'npm run cert:dev');
  ca = fs.readFileSync(path.join(dir, 'deploy', 'dev-ca', 'ca.pem'));
  // certbot's live folder, stood in for by the test pair
  const letsencrypt = path.join(dir, 'letsencrypt-live');
  fs.mkdirSync(letsencrypt);
  fs.renameSync(path.join(dir, 'deploy', 'nginx', 'certs', DOMAIN), path.join(letsencrypt, DOMAIN));
  const moved = (block: string) => block.replaceAll('sudo ', '').replaceAll('/etc/letsencrypt/live/', `${letsencrypt}/`);

  // Route B: the README's commands up to `nginx -t` against the copy, then its listen ports moved.
  etc = copyDebianNginx();
  const [install, check] = moved(readmeBlock(readme, '**Route B'))
    .replaceAll('/etc/nginx', etc)
    .split(/^nginx -t\n/m);
  expect(check).toBe('systemctl reload nginx\n'); // what the test replaces by starting nginx on the copy
  sh(install, 'route B install');
  expect(fs.readlinkSync(path.join(etc, 'sites-enabled', `${NAME}.conf`))).toBe(path.join(etc, 'sites-available', `${NAME}.conf`));
  moveListens(path.join(etc, 'sites-available', `${NAME}.conf`), ports.B);
  const t = await run('nginx', ['-t', '-c', path.join(etc, 'nginx.conf')]);
  expectOk(t, 'route B: nginx -t');
  expect(t.output).not.toMatch(/\[(warn|emerg|alert)\]/);
  procs.push(new Proc('nginx', ['-c', path.join(etc, 'nginx.conf'), '-g', 'daemon off;']));

  // Route A: the README's block as written (nginx -t, then nginx daemonizes), on moved ports.
  moveListens(path.join(dir, 'deploy', 'nginx', 'sites', 'app.conf'), ports.A);
  sh(moved(readmeBlock(readme, '**Route A')), 'route A');
  await Promise.all([waitForPort(ports.A.http), waitForPort(ports.B.http)]);
}, 60_000);

/** Stops the stand-in app instances (idempotent: a test stops them early to see nginx's 502). */
function closeUpstreams(): Promise<unknown> {
  return Promise.all(
    upstreams.map(
      (s) =>
        new Promise((r) => {
          s.closeAllConnections();
          s.close(r);
        }),
    ),
  );
}

afterAll(async () => {
  if (dir) spawnSync('nginx', ['-p', `${path.join(dir, 'deploy', 'nginx')}/`, '-c', 'nginx.conf', '-s', 'quit']);
  await Promise.all(procs.map((p) => p.stop()));
  await closeUpstreams();
});

describe.each(['A', 'B'] as const)('route %s', (route) => {
  test('a real HTTPS request, trusting the test CA, reaches the app; http:// redirects with 308', async () => {
    const r = await via(route, { method: 'POST', path: '/api/auth/me?x=1', body: '{}' });
    expect(r.status).toBe(200);
    expect([UP_A, UP_B]).toContain(r.json().port);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/auth/me?x=1' });
    const redirect = await call({ port: ports[route].http, path: '/api/auth/me?x=1', host: DOMAIN });
    expect([redirect.status, redirect.headers.location]).toEqual([308, `https://${DOMAIN}/api/auth/me?x=1`]);
  });

  test("a client's X-Forwarded-Host, Forwarded and 微信云托管's X-WX-* never reach the app; nginx's own forwarding headers do", async () => {
    const marker = `/headers-${route}`;
    await via(route, {
      path: marker,
      localAddress: '127.0.0.9',
      headers: {
        'x-forwarded-host': 'evil.example',
        forwarded: 'for=6.6.6.6;host=evil.example;proto=http',
        'x-forwarded-for': '6.6.6.6',
        'x-forwarded-proto': 'http',
        // a forged Cloud Run gateway identity, in the gateway's case and another
        'X-WX-SOURCE': 'wx_client',
        'x-wx-appid': 'wx0123456789abcdef',
        'X-Wx-OpenId': 'o_forged',
        'X-WX-UNIONID': 'u_forged',
        'X-WX-FROM-OPENID': 'o_forged',
      },
    });
    const got = seen.find((s) => s.url === marker)!.headers;
    expect(got['x-forwarded-host']).toBeUndefined();
    expect(got.forwarded).toBeUndefined();
    expect(Object.keys(got).filter((name) => name.startsWith('x-wx-'))).toEqual([]);
    expect(got.host).toBe(DOMAIN);
    expect(got['x-forwarded-for']).toBe('6.6.6.6, 127.0.0.9'); // the app trusts the last hop only
    expect(got['x-forwarded-proto']).toBe('https');
    expect(got['x-real-ip']).toBe('127.0.0.9');
    expect(got['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
  });

  test('an uploaded image in the upload folder is served by nginx at /media/ with long cache headers; the app never sees it', async () => {
    const uploads = path.join(dir, 'uploads'); // route A: the site's alias as generated (../../uploads/ from -p deploy/nginx/)
    fs.mkdirSync(uploads, { recursive: true });
    const name = `${route === 'A' ? 'a' : 'b'}${'0'.repeat(31)}.png`;
    const content = `stored by the app as ${name}`; // nginx types by name; ASCII so the text client compares it exactly
    fs.writeFileSync(path.join(uploads, name), content);
    const before = seen.length;
    const r = await via(route, { path: `/media/${name}` });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['strict-transport-security']).toBe('max-age=63072000');
    expect(r.body).toBe(content);
    const missing = await via(route, { path: '/media/nope.png' });
    expect([missing.status, missing.json().error.code]).toEqual([404, 'NOT_FOUND']);
    expect(seen.length).toBe(before);
  });

  test('a body over 1 MB: 413 PAYLOAD_TOO_LARGE as JSON, and the app never sees it', async () => {
    const before = seen.length;
    const r = await via(route, {
      method: 'POST',
      path: '/api/users/me',
      body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }),
      localAddress: '127.0.0.10',
    });
    expectNginxError(r, 413, 'PAYLOAD_TOO_LARGE');
    expect(seen.length).toBe(before);
  });
});

describe('the login rate limit holds for every spelling nginx hands to the app (route A and B)', () => {
  const spellings = [
    '/api/auth/login',
    '/api/auth/login/',
    '/API/AUTH/LOGIN',
    '/Api/Auth/Login/',
    '/api/auth/%6Cogin',
    '/api/auth/login%2F',
    '/api//auth/login',
    '/api/auth/./login',
    '/api/x/../auth/login',
    '/api/auth/login?next=1',
  ];
  test.each(spellings.map((p, i) => [p, i] as const))('%s', async (spelling, i) => {
    for (const route of ['A', 'B'] as const) {
      const client = `127.0.${route === 'A' ? 1 : 2}.${i + 1}`; // a fresh address: its own bucket
      const reached = () => seen.filter((s) => s.url === spelling).length;
      const before = reached();
      const answers: Answer[] = [];
      for (let n = 0; n < 10; n++)
        answers.push(await via(route, { method: 'POST', path: spelling, body: '{"code":"x"}', localAddress: client }));
      // burst 5 (+1 for the rate): at most 6 reach the app, through proxy_pass; the rest are nginx's JSON 429
      expect(reached() - before).toBeGreaterThanOrEqual(1);
      expect(reached() - before).toBeLessThanOrEqual(6);
      for (const r of answers.slice(-4)) expectNginxError(r, 429, 'TOO_MANY_REQUESTS');
      // the same client is not limited elsewhere
      expect((await via(route, { path: '/api/auth/me', localAddress: client })).status).toBe(200);
    }
  });
});

describe("nginx's own upstream errors are JSON (run last: they mark the stub upstream down)", () => {
  test('no answer within proxy_read_timeout: 504 UPSTREAM_TIMEOUT', async () => {
    expectNginxError(await via('A', { path: '/slow' }), 504, 'UPSTREAM_TIMEOUT');
  });

  test('no instance listening: 502 UPSTREAM_UNAVAILABLE, on both routes', async () => {
    await closeUpstreams();
    expectNginxError(await via('A', { path: '/api/auth/me' }), 502, 'UPSTREAM_UNAVAILABLE');
    expectNginxError(await via('B', { path: '/api/auth/me' }), 502, 'UPSTREAM_UNAVAILABLE');
  });
});
