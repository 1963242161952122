import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, expectOk, generateProject, run } from '../support/e2e';
import { call } from '../support/https-client';
import { Proc } from '../support/processes';
import { HttpsFront, STANDIN, containerEnv, freePort, podman, requireContainers, selfSigned, until } from '../support/containers';

/**
 * The generated Dockerfile and compose.yaml, built and run with podman (.ci/containers makes the engine
 * and a stand-in node:22-bookworm-slim offline: no registry is reachable here). For the default project
 * and a PostgreSQL + Redis one: the image builds, holds nothing it should not, runs as non-root, logs in
 * against the fake WeChat and drains on SIGTERM; the PostgreSQL + Redis project also runs under
 * `compose up` with nginx TLS in front of two replicas that migrate once.
 */
const TAG = (process.env.CWB_E2E_TAG ?? '').replace(/[^a-z0-9]/gi, '').toLowerCase();
const APPID = `wx${randomBytes(8).toString('hex')}`;
const SECRET = 'fake-app-secret-for-the-container-test';
const DOMAIN = 'api.example.com'; // the generated default: nginx's server_name and cert:dev's certificate
const SHUTDOWN_TIMEOUT_MS = 8000;
const MINUTE = 60_000;

interface Fake {
  url: string;
  calls: Record<string, number>;
  newLogin(): { code: string };
  stop(): Promise<void>;
}

let fake: Fake;
let front: HttpsFront;
let frontCert: string;
const cleanups: Array<() => Promise<unknown>> = [];
const metrics: string[] = [];

beforeAll(async () => {
  requireContainers();
  const anyProject = generateProject(`ctr-fake${TAG}`, []);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FakeWechat } = require(path.join(anyProject, 'scripts', 'fake-wechat.ts'));
  fake = await new FakeWechat({ appid: APPID, secret: SECRET }).start();
  const tls = selfSigned(path.join(anyProject, '.fake-tls'), ['host.containers.internal', 'localhost', '127.0.0.1']);
  frontCert = tls.certFile;
  front = await new HttpsFront(fake.url, tls).start();
});

afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
  await front?.stop();
  await fake?.stop();
  if (metrics.length) console.log(`containers:\n  ${metrics.join('\n  ')}`);
});

const json = (body: unknown) => JSON.stringify(body);

/** The app's own login over plain HTTP (in front of it there is nothing, or nginx with TLS). */
async function login(port: number, code: string, tls?: { ca: Buffer; servername: string }) {
  return call({ port, method: 'POST', path: '/api/auth/login', body: json({ code }), tls, host: tls ? DOMAIN : undefined });
}

describe.each([
  ['default', [] as string[]],
  ['pg-redis', ['--db', 'postgresql', '--session-store', 'redis']],
])('the %s project', (label, args) => {
  const name = `ctr-${label}${TAG}`;
  const image = `localhost/${name}:latest`;
  let dir: string;

  beforeAll(async () => {
    dir = generateProject(name, args);
    // A user's checkout has a lockfile (the generator's install step writes it); the Dockerfile needs one.
    expectOk(
      await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'], {
        cwd: dir,
        timeoutMs: 10 * MINUTE,
      }),
      'npm install --package-lock-only',
    );
    // What a working copy also holds, none of which may reach the image: .env (the generator wrote it),
    // a SQLite file, an upload.
    fs.writeFileSync(path.join(dir, 'dev.db'), 'not for the image');
    fs.mkdirSync(path.join(dir, 'uploads'));
    fs.writeFileSync(path.join(dir, 'uploads', 'planted.png'), 'not for the image');
    // The image stays: the next run's build starts from its cached layers.
  }, 12 * MINUTE);

  test(
    'the image builds as written, runs as non-root node, and holds no .env, test, source or dev dependency',
    async () => {
      const started = Date.now();
      expectOk(await podman(['build', '--format', 'docker', '-t', image, dir], 20 * MINUTE), 'podman build');
      const buildMs = Date.now() - started;

      const [inspect] = JSON.parse((await podman(['image', 'inspect', image])).output);
      expect(inspect.Config.User).toBe('node');
      expect(inspect.Config.Cmd[0]).toBe('node'); // node is PID 1: no npm, no shell
      expect(inspect.Config.Cmd.at(-1)).toBe('dist/server.js');
      expect(inspect.Config.Env).toContain('NODE_ENV=production');
      expect((inspect.Healthcheck ?? inspect.Config.Healthcheck).Test.join(' ')).toContain('/livez');
      metrics.push(`${label}: image ${(inspect.Size / 1e6).toFixed(0)} MB, built in ${(buildMs / 1000).toFixed(0)} s`);

      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
      // Every package the lockfile installs only for development (dev dependencies and what they pull in).
      const lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).packages as Record<
        string,
        { dev?: boolean; devOptional?: boolean }
      >;
      const devOnly = Object.entries(lock)
        .filter(([p, e]) => p.startsWith('node_modules/') && (e.dev || e.devOptional))
        .map(([p]) => p);
      const probe = `
      const fs = require('fs'), path = require('path');
      const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? (e.name === 'node_modules' ? [] : walk(path.join(d, e.name))) : [path.join(d, e.name)]);
      const writable = (d) => { try { fs.accessSync(d, fs.constants.W_OK); return true; } catch { return false; } };
      console.log(JSON.stringify({
        uid: process.getuid(),
        top: fs.readdirSync('/app').sort(),
        files: walk('/app'),
        dev: ${JSON.stringify(devOnly)}.filter((p) => fs.existsSync('/app/' + p)),
        prod: ${JSON.stringify(Object.keys(pkg.dependencies))}.filter((d) => !fs.existsSync('/app/node_modules/' + d)),
        writable: ['/data', '/app/uploads', '/app', '/app/dist'].filter(writable),
        nodeEnv: process.env.NODE_ENV,
      }));`;
      const r = await podman(['run', '--rm', image, 'node', '-e', probe]);
      expectOk(r, 'podman run (contents)');
      const seen = JSON.parse(r.output.trim().split('\n').at(-1)!);
      expect(seen.uid).toBe(1000);
      expect(seen.nodeEnv).toBe('production');
      expect(seen.top).toEqual(['dist', 'node_modules', 'package.json', 'prisma', 'uploads']);
      expect(seen.files.filter((f: string) => /(^|\/)\.env|\.test\.|\.db$|planted|\/src\/|\/test\//.test(f))).toEqual([]);
      expect(seen.files).toContain('/app/dist/server.js');
      expect(seen.files).toContain('/app/dist/migrate/cli.js');
      expect(seen.files.some((f: string) => /^\/app\/prisma\/migrations\/.+\/migration\.sql$/.test(f))).toBe(true);
      expect(devOnly.length).toBeGreaterThan(100);
      expect(seen.dev).toEqual([]); // none of the packages installed for development only is there
      expect(seen.prod).toEqual([]);
      expect(seen.writable).toEqual(['/data', '/app/uploads']); // the app's own code is read-only to it
      metrics.push(
        `${label}: absent from the image: all ${devOnly.length} development-only packages, among them ${Object.keys(pkg.devDependencies).join(', ')}`,
      );
    },
    25 * MINUTE,
  );

  describe('a container of it', () => {
    const container = `${name}-app`;
    let port: number;
    let stopAt: number;

    beforeAll(async () => {
      port = await freePort();
      const env: Record<string, string> = {
        WX_APPID: APPID,
        WX_SECRET: SECRET,
        WX_API_BASE: `https://127.0.0.1:${front.port}`,
        NODE_EXTRA_CA_CERTS: '/run/fake-wechat-ca.pem',
        JWT_SECRET: randomBytes(48).toString('base64url'),
        HOST: '127.0.0.1',
        PORT: String(port),
        MIGRATE_ON_START: 'true',
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      };
      if (label === 'pg-redis') {
        // The database and Redis as containers too, on ports of their own: nothing lands on the shared servers.
        const [pgPort, redisPort] = [await freePort(), await freePort()];
        const password = randomBytes(12).toString('hex');
        for (const [svc, runArgs] of [
          [
            `${name}-pg`,
            ['-e', `POSTGRES_PASSWORD=${password}`, '-e', 'POSTGRES_DB=app', STANDIN.postgres, 'postgres', '-c', `port=${pgPort}`],
          ],
          [`${name}-redis`, [STANDIN.redis, 'redis-server', '--port', String(redisPort), '--save', '', '--protected-mode', 'no']],
        ] as const) {
          cleanups.push(() => podman(['rm', '-f', '-v', '-t', '0', svc]));
          expectOk(await podman(['run', '-d', '--name', svc, '--network', 'host', ...runArgs]), `podman run ${svc}`);
        }
        env.DATABASE_URL = `postgresql://postgres:${password}@127.0.0.1:${pgPort}/app`;
        env.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
        await until(
          'the PostgreSQL container',
          async () => (await podman(['exec', `${name}-pg`, 'pg_isready', '-h', '127.0.0.1', '-p', String(pgPort)])).code === 0,
          Date.now(),
          MINUTE,
        );
      }
      cleanups.push(() => podman(['rm', '-f', '-v', '-t', '0', container]));
      const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
      expectOk(
        await podman([
          'create',
          '--name',
          container,
          '--network',
          'host',
          '-v',
          `${frontCert}:/run/fake-wechat-ca.pem:ro`,
          ...envArgs,
          image,
        ]),
        'podman create',
      );
    }, 3 * MINUTE);

    test(
      'starts, migrates its database, answers /readyz, and logs in, me and logout against the fake WeChat',
      async () => {
        const { code } = fake.newLogin();
        const started = Date.now();
        expectOk(await podman(['start', container]), 'podman start');
        const readyMs = await until('/readyz 200', async () => (await call({ port, path: '/readyz' })).status === 200, started, MINUTE);
        // What a user waits for after the service scaled to zero: the start, then the first login answered.
        let answer;
        const loginMs = await until(
          'the first login',
          async () => {
            answer = await login(port, code);
            return true;
          },
          started,
          MINUTE,
        );
        metrics.push(`${label}: container start → first /readyz 200: ${readyMs} ms; → first login answered: ${loginMs} ms`);
        expect(answer!.status).toBe(200);
        const body = answer!.json();
        expect(JSON.stringify(body)).not.toMatch(/session_key/i);
        const auth = { authorization: `JWT ${body.token}` };
        const me = await call({ port, path: '/api/auth/me', headers: auth });
        expect(me.status).toBe(200);
        expect(me.json().user.id).toBe(body.user.id);
        expect((await call({ port, method: 'POST', path: '/api/auth/logout', headers: auth })).status).toBeLessThan(300);
        expect((await call({ port, path: '/api/auth/me', headers: auth })).status).toBe(401);
        const logs = (await podman(['logs', container])).output;
        expect(logs).toContain('"msg":"migrations applied"');
      },
      2 * MINUTE,
    );

    test(
      'SIGTERM with a request in flight: the request completes, the container exits 0 within the bound',
      async () => {
        front.delayMs = 1500; // WeChat answers slowly: the login is in flight when the signal comes
        const { code } = fake.newLogin();
        const inFlight = login(port, code);
        await new Promise((r) => setTimeout(r, 500));
        stopAt = Date.now();
        expectOk(await podman(['kill', '--signal', 'TERM', container]), 'podman kill --signal TERM');
        const answer = await inFlight;
        front.delayMs = 0;
        expect(answer.status).toBe(200);
        const waited = await podman(['wait', container], 30_000);
        const tookMs = Date.now() - stopAt;
        expect(waited.output.trim()).toBe('0');
        expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
        expect((await podman(['logs', container])).output).toContain('stopped: requests finished, stores closed');
        metrics.push(`${label}: SIGTERM → exit 0 in ${tookMs} ms with a 1.5 s request in flight`);
      },
      MINUTE,
    );
  });
});

describe('compose up: nginx TLS in front of two replicas, PostgreSQL and Redis', () => {
  const name = `ctr-pg-redis${TAG}`;
  const project = `cwbctr${TAG}`;
  let dir: string;
  let ca: Buffer;
  let httpsPort: number;
  let env: NodeJS.ProcessEnv;

  const compose = (args: string[], timeoutMs = 5 * MINUTE) =>
    run('docker-compose', ['-p', project, '-f', 'compose.yaml', '-f', 'compose.ci.yaml', ...args], { cwd: dir, env, timeoutMs });
  const appContainers = async () =>
    (
      await podman([
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        '--filter',
        'label=com.docker.compose.service=app',
        '--format',
        '{{.Names}}',
      ])
    ).output
      .trim()
      .split('\n')
      .filter(Boolean);

  beforeAll(async () => {
    dir = path.join(E2E_DIR, 'projects', name); // generated and built by the tests above
    if (!fs.existsSync(path.join(dir, 'compose.yaml'))) throw new Error(`${dir} is missing: the image tests above run first`);
    const socket = path.join(dir, '.podman.sock');
    const service = new Proc('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env: containerEnv() });
    cleanups.push(() => service.stop());
    await until('the podman API socket', async () => fs.existsSync(socket), Date.now(), 30_000);
    httpsPort = await freePort();
    env = containerEnv({
      DOCKER_HOST: `unix://${socket}`,
      POSTGRES_IMAGE: STANDIN.postgres,
      REDIS_IMAGE: STANDIN.redis,
      NGINX_IMAGE: STANDIN.nginx,
      HTTP_PORT: String(await freePort()),
      HTTPS_PORT: String(httpsPort),
    });
    for (const made of ['deploy/nginx/certs', 'deploy/dev-ca']) fs.rmSync(path.join(dir, made), { recursive: true, force: true });
    expectOk(await run('sh', ['scripts/self-signed-cert.sh'], { cwd: dir }), 'scripts/self-signed-cert.sh');
    ca = fs.readFileSync(path.join(dir, 'deploy', 'dev-ca', 'ca.pem'));
    // The secrets compose reads from .env, as the README says to add them.
    const dotenv = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    fs.writeFileSync(
      path.join(dir, '.env'),
      dotenv
        .replace(/^WX_APPID=.*$/m, `WX_APPID=${APPID}`)
        .replace(/^WX_SECRET=.*$/m, `WX_SECRET=${SECRET}`)
        .replace(/^WX_API_BASE=.*$/m, `WX_API_BASE=https://host.containers.internal:${front.port}`)
        .replace(/^POSTGRES_PASSWORD=.*\n/m, '') + `POSTGRES_PASSWORD=${randomBytes(18).toString('hex')}\n`,
    );
    // Test only: the app trusts the fake WeChat's certificate. The image itself is the one built above.
    fs.writeFileSync(
      path.join(dir, 'compose.ci.yaml'),
      `services:\n  app:\n    volumes: ['${frontCert}:/run/fake-wechat-ca.pem:ro']\n    environment:\n      NODE_EXTRA_CA_CERTS: /run/fake-wechat-ca.pem\n`,
    );
    // compose.yaml names the image the tests above built (`<project>:latest`): up uses it as it is.
    expectOk(await podman(['image', 'exists', `localhost/${name}:latest`]), 'the image from the tests above');
    cleanups.push(() => compose(['down', '-v', '-t', '10']));
    // podman runs health checks from systemd timers, and this machine has no systemd as PID 1: run each
    // container's own check every 5 s instead, as the timer would (depends_on waits for their verdicts).
    const checks = setInterval(() => {
      void podman(['ps', '-q', '--filter', `label=com.docker.compose.project=${project}`]).then((r) =>
        r.output
          .split('\n')
          .filter(Boolean)
          .forEach((id) => void podman(['healthcheck', 'run', id.trim()])),
      );
    }, 5000);
    cleanups.push(async () => clearInterval(checks));
    expectOk(await compose(['up', '-d']), 'docker-compose up -d');
  }, 10 * MINUTE);

  test(
    'login → me through nginx; both replicas serve; the migrations ran once',
    async () => {
      const tls = { ca, servername: DOMAIN };
      const started = Date.now();
      await until(
        'https /readyz through nginx',
        async () => (await call({ port: httpsPort, path: '/readyz', tls, host: DOMAIN })).status === 200,
        started,
        4 * MINUTE,
      );
      const { code } = fake.newLogin();
      const answer = await login(httpsPort, code, tls);
      expect(answer.status).toBe(200);
      const auth = { authorization: `JWT ${answer.json().token}` };
      for (let i = 0; i < 12; i++) {
        const me = await call({ port: httpsPort, path: '/api/auth/me', headers: auth, tls, host: DOMAIN });
        expect(me.status).toBe(200);
        expect(me.json().user.id).toBe(answer.json().user.id);
      }
      const apps = await appContainers();
      expect(apps).toHaveLength(2);
      const logs = await Promise.all(apps.map(async (c) => (await podman(['logs', c])).output));
      for (const log of logs) expect(log).toMatch(/"path":"\/api\/auth\/me"/); // each replica answered some
      // Both replicas started with MIGRATE_ON_START: exactly one applied, the other found nothing to do.
      expect(logs.filter((l) => l.includes('"msg":"migrations applied"'))).toHaveLength(1);
      expect(logs.filter((l) => l.includes('"msg":"migrations: the database is up to date"'))).toHaveLength(1);
      const db = await compose([
        'exec',
        '-T',
        'db',
        'psql',
        '-U',
        'postgres',
        '-d',
        name.replace(/[^a-z0-9_]/g, '_'),
        '-tAc',
        'SELECT migration_name, count(*) FROM _prisma_migrations GROUP BY 1 ORDER BY 1',
      ]);
      expectOk(db, 'psql');
      const rows = db.output.trim().split('\n');
      expect(rows.length).toBe(fs.readdirSync(path.join(dir, 'prisma', 'migrations')).filter((f) => !f.endsWith('.toml')).length);
      for (const row of rows) expect(row).toMatch(/\|1$/);
    },
    6 * MINUTE,
  );
});
