import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { databaseName } from '../../src/options';
import { MALLOC_ARENA_MAX } from '../../src/project-rules';
import { E2E_DIR, e2eDatabaseName, expectOk, generateProject, projectEnv, run } from '../support/e2e';
import { call } from '../support/https-client';
import { freePort } from '../support/ports';
import { Proc } from '../support/processes';
import {
  FIGURES_FILE,
  HttpsFront,
  NODE_IMAGE,
  STANDIN,
  containerEnv,
  podman,
  requireCompose,
  requireContainers,
  selfSigned,
  until,
} from '../support/containers';

/**
 * The generated Dockerfile, built and run with podman (.ci/containers makes the engine and a stand-in
 * node:22-bookworm-slim offline: no registry is reachable here). For the default project and a
 * PostgreSQL + Redis one, each image built once: it holds nothing it should not, runs as non-root,
 * migrates on start, logs in against the fake WeChat and drains on SIGTERM. Then the PostgreSQL + Redis
 * project's compose.yaml, with that image: `compose up` puts nginx TLS in front of two replicas that
 * migrate once. The figures (size, build time, start → ready, start → first login, compose up → first
 * login through nginx) are printed and kept for `npm run bench`.
 */
const TAG = (process.env.CWB_E2E_TAG ?? '').replace(/[^a-z0-9]/gi, '').toLowerCase();
const APPID = `wx${randomBytes(8).toString('hex')}`;
const SECRET = 'fake-app-secret-for-the-container-test';
const SHUTDOWN_TIMEOUT_MS = 8000;
const MINUTE = 60_000;

interface Fake {
  url: string;
  newLogin(): { code: string };
  stop(): Promise<void>;
}

let fake: Fake;
let front: HttpsFront;
let frontCert: string;
let tlsFiles: { key: string; cert: string };
const cleanups: Array<() => Promise<unknown>> = [];
const figures: Record<string, Record<string, number>> = {};
const metrics: string[] = [];

beforeAll(async () => {
  requireContainers();
  const anyProject = generateProject(`ctr-fake${TAG}`, []);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { FakeWechat } = require(path.join(anyProject, 'scripts', 'fake-wechat.ts'));
  fake = await new FakeWechat({ appid: APPID, secret: SECRET }).start();
  const tls = selfSigned(path.join(anyProject, '.fake-tls'));
  frontCert = tls.certFile;
  tlsFiles = tls;
  front = await new HttpsFront(fake.url, tls).start();
});

afterAll(async () => {
  for (const clean of cleanups.reverse()) await clean().catch(() => undefined);
  await front?.stop();
  await fake?.stop();
  if (metrics.length) console.log(`containers:\n  ${metrics.join('\n  ')}`);
  if (Object.keys(figures).length) fs.writeFileSync(FIGURES_FILE, JSON.stringify({ at: new Date().toISOString(), figures }, null, 2));
});

const login = (port: number, code: string) => call({ port, method: 'POST', path: '/api/auth/login', body: JSON.stringify({ code }) });

describe.each([
  ['default', [] as string[]],
  ['pg-redis', ['--db', 'postgresql', '--session-store', 'redis']],
])('the %s project', (label, args) => {
  const name = `ctr-${label}${TAG}`;
  const image = `localhost/${name}:latest`;
  const seen: Record<string, number> = (figures[label] = {});
  let dir: string;

  beforeAll(async () => {
    dir = generateProject(name, args);
    // A user's checkout has a lockfile (the generator's install step writes it); the Dockerfile needs one.
    expectOk(
      await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
        cwd: dir,
        env: projectEnv(),
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
      seen.buildMs = Date.now() - started;

      const [inspect] = JSON.parse((await podman(['image', 'inspect', image])).output);
      expect(inspect.Config.User).toBe('node');
      expect(inspect.Config.Cmd[0]).toBe('node'); // node is PID 1: no npm, no shell
      expect(inspect.Config.Cmd.at(-1)).toBe('dist/server.js');
      expect(inspect.Config.Env).toContain('NODE_ENV=production');
      expect(inspect.Config.Env).toContain(`MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}`); // as PM2 and systemd set it
      expect((inspect.Healthcheck ?? inspect.Config.Healthcheck).Test.join(' ')).toContain('/livez');
      seen.imageMb = Math.round(inspect.Size / 1e6);
      seen.baseMb = Math.round(JSON.parse((await podman(['image', 'inspect', NODE_IMAGE])).output)[0].Size / 1e6);
      metrics.push(
        `${label}: image ${seen.imageMb} MB (the stand-in base: ${seen.baseMb} MB), built in ${(seen.buildMs / 1000).toFixed(0)} s`,
      );

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
      const inside = JSON.parse(r.output.trim().split('\n').at(-1)!);
      expect(inside.uid).toBe(1000);
      expect(inside.nodeEnv).toBe('production');
      expect(inside.top).toEqual(['dist', 'node_modules', 'package.json', 'prisma', 'uploads']);
      expect(inside.files.filter((f: string) => /(^|\/)\.env|\.test\.|\.db$|planted|\/src\/|\/test\//.test(f))).toEqual([]);
      expect(inside.files).toContain('/app/dist/server.js');
      expect(inside.files).toContain('/app/dist/migrate/cli.js');
      expect(inside.files.some((f: string) => /^\/app\/prisma\/migrations\/.+\/migration\.sql$/.test(f))).toBe(true);
      expect(devOnly.length).toBeGreaterThan(100);
      expect(inside.dev).toEqual([]); // none of the packages installed for development only is there
      expect(inside.prod).toEqual([]);
      expect(inside.writable).toEqual(['/data', '/app/uploads']); // the app's own code is read-only to it
      metrics.push(`${label}: absent from the image: all ${devOnly.length} development-only packages`);
    },
    25 * MINUTE,
  );

  describe('a container of it', () => {
    const container = `${name}-app`;
    let port: number;

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
        // The machine's PostgreSQL, in a database of the test's own (dropped after), and a Redis of its own.
        const database = e2eDatabaseName(`containers_${label}`);
        const psql = (sql: string) => run('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qc', sql]);
        expectOk(await psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`), 'psql drop');
        expectOk(await psql(`CREATE DATABASE ${database}`), 'psql create');
        cleanups.push(() => psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
        const redisPort = await freePort();
        const redis = new Proc('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no']);
        cleanups.push(() => redis.stop());
        env.DATABASE_URL = `postgresql://postgres@127.0.0.1:5432/${database}`;
        env.REDIS_URL = `redis://127.0.0.1:${redisPort}`;
        await until(
          'the private Redis',
          async () => (await run('redis-cli', ['-p', String(redisPort), 'ping'])).code === 0,
          Date.now(),
          MINUTE,
        );
      }
      cleanups.push(() => podman(['rm', '-f', '-v', '-t', '0', container]));
      await podman(['rm', '-f', '-v', '-t', '0', container]); // a leftover of an interrupted run
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
        // The engine's own floor for the figures below: the same image, `podman start` → the first 200 of
        // a bare node HTTP server on the same port (no app, no migration, no warm-up).
        const floor = `${container}-floor`;
        const server = `require('http').createServer((q, s) => s.end()).listen(${port}, '127.0.0.1')`;
        await podman(['rm', '-f', '-t', '0', floor]);
        expectOk(await podman(['create', '--name', floor, '--network', 'host', image, 'node', '-e', server]), 'podman create (floor)');
        const floorStarted = Date.now();
        expectOk(await podman(['start', floor]), 'podman start (floor)');
        seen.floorMs = await until('the bare server', async () => (await call({ port, path: '/' })).status === 200, floorStarted, MINUTE);
        expectOk(await podman(['rm', '-f', '-t', '0', floor]), 'podman rm (floor)');
        await until(
          'the port to be free',
          async () =>
            await call({ port, path: '/' }).then(
              () => false,
              () => true,
            ),
          Date.now(),
          MINUTE,
        );

        const { code } = fake.newLogin();
        const started = Date.now();
        expectOk(await podman(['start', container]), 'podman start');
        seen.readyMs = await until('/readyz 200', async () => (await call({ port, path: '/readyz' })).status === 200, started, MINUTE);
        // What a user waits for after the service scaled to zero: the start, then the first login answered.
        let answer!: Awaited<ReturnType<typeof login>>;
        seen.loginMs = await until(
          'the first login',
          async () => {
            answer = await login(port, code);
            return true;
          },
          started,
          MINUTE,
        );
        metrics.push(
          `${label}: container start → first /readyz 200: ${seen.readyMs} ms; → first login answered: ${seen.loginMs} ms (the engine's floor, a bare node server in the same image: ${seen.floorMs} ms)`,
        );
        expect(answer.status).toBe(200);
        const body = answer.json();
        expect(JSON.stringify(body)).not.toMatch(/session_key/i);
        const auth = { authorization: `JWT ${body.token}` };
        const me = await call({ port, path: '/api/auth/me', headers: auth });
        expect(me.status).toBe(200);
        expect(me.json().user.id).toBe(body.user.id);
        expect((await call({ port, method: 'POST', path: '/api/auth/logout', headers: auth })).status).toBeLessThan(300);
        expect((await call({ port, path: '/api/auth/me', headers: auth })).status).toBe(401);
        expect((await podman(['logs', container])).output).toContain('"msg":"migrations applied"');
        // The README's migration command, from inside the image: the start already applied them all.
        const migrate = await podman(['exec', container, 'node', 'dist/migrate/cli.js']);
        expectOk(migrate, 'node dist/migrate/cli.js');
        expect(migrate.output.trim()).toBe('the database is up to date');
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
        const stopAt = Date.now();
        expectOk(await podman(['kill', '--signal', 'TERM', container]), 'podman kill --signal TERM');
        const answer = await inFlight;
        front.delayMs = 0;
        expect(answer.status).toBe(200);
        const waited = await podman(['wait', container], 30_000);
        const tookMs = Date.now() - stopAt;
        expect(waited.output.trim()).toBe('0');
        expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
        expect((await podman(['logs', container])).output).toContain('stopped: requests finished, stores closed');
        seen.sigtermMs = tookMs;
        metrics.push(`${label}: SIGTERM → exit 0 in ${tookMs} ms with a 1.5 s request in flight`);
      },
      MINUTE,
    );
  });

  if (label === 'default') {
    test(
      "behind a proxy on the engine's network: with TRUSTED_PROXIES each forwarded client has its own login limit; without it a client-sent X-Forwarded-For is ignored",
      async () => {
        // Requests to a published port reach the container from the engine's gateway, as a host nginx's would.
        const gateway = (await podman(['network', 'inspect', 'podman', '--format', '{{range .Subnets}}{{.Gateway}}{{end}}'])).output.trim();
        expect(gateway).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
        const start = async (suffix: string, env: string[]) => {
          const port = await freePort();
          const box = `${name}-${suffix}`;
          cleanups.push(() => podman(['rm', '-f', '-v', '-t', '0', box]));
          await podman(['rm', '-f', '-v', '-t', '0', box]);
          const settings = [`WX_APPID=${APPID}`, `WX_SECRET=${SECRET}`, `JWT_SECRET=${randomBytes(48).toString('base64url')}`];
          const args = [...settings, 'WX_API_BASE=https://127.0.0.1:9', 'LOGIN_RATE_PER_IP=2', 'MIGRATE_ON_START=true', ...env];
          expectOk(
            await podman(['run', '-d', '--name', box, '-p', `127.0.0.1:${port}:3000`, ...args.flatMap((a) => ['-e', a]), image]),
            'podman run',
          );
          await until(`${box} /readyz`, async () => (await call({ port, path: '/readyz' })).status === 200, Date.now(), MINUTE);
          // The login limit counts before WeChat is asked (this WeChat does not answer): 429 or not is the answer.
          return async (client: string) =>
            (await call({ port, method: 'POST', path: '/api/auth/login', body: '{"code":"c"}', headers: { 'x-forwarded-for': client } }))
              .status;
        };
        const [a, b] = ['198.51.100.1', '198.51.100.2'];
        const trusting = await start('trusting', [`TRUSTED_PROXIES=${gateway}`]);
        const plain = await start('plain', []);
        for (const login of [trusting, plain]) {
          expect([await login(a), await login(a)]).not.toContain(429);
          expect(await login(a)).toBe(429);
        }
        expect(await trusting(b)).not.toBe(429); // another client behind the proxy: its own limit
        expect(await plain(b)).toBe(429); // its X-Forwarded-For was not believed: one address, one limit
      },
      2 * MINUTE,
    );
  }
});

describe('compose up: nginx TLS in front of two replicas, PostgreSQL and Redis', () => {
  const name = `ctr-pg-redis${TAG}`; // the project the tests above generated, and its image
  const project = `cwbctr${TAG}`;
  const DOMAIN = 'api.example.com'; // the generator's default --domain: the nginx site's server_name
  const seen: Record<string, number> = (figures['compose (nginx TLS, 2 replicas, PostgreSQL, Redis)'] = {});
  let dir: string;
  let ca: Buffer;
  let httpsPort: number;
  let env: NodeJS.ProcessEnv;
  let upStarted: number;
  let upMs: number;

  const compose = (args: string[], timeoutMs = 5 * MINUTE) =>
    run('docker-compose', ['-p', project, '-f', 'compose.yaml', '-f', 'compose.ci.yaml', ...args], { cwd: dir, env, timeoutMs });
  const containersOf = async (service?: string) =>
    (
      await podman([
        'ps',
        '-a',
        '--filter',
        `label=com.docker.compose.project=${project}`,
        ...(service ? ['--filter', `label=com.docker.compose.service=${service}`] : []),
        '--format',
        '{{.Names}}',
      ])
    ).output
      .trim()
      .split('\n')
      .filter(Boolean);

  beforeAll(async () => {
    requireCompose();
    dir = path.join(E2E_DIR, 'projects', name);
    if (!fs.existsSync(path.join(dir, 'compose.yaml'))) throw new Error(`${dir} is missing: the image tests above run first`);
    // compose.yaml names the image the tests above built (`<project>:latest`): up uses it as it is.
    expectOk(await podman(['image', 'exists', `localhost/${name}:latest`]), 'the image from the tests above');
    // docker-compose talks to podman's Docker-compatible API, on a socket of the test's own.
    const socket = path.join(dir, '.podman.sock');
    fs.rmSync(socket, { force: true });
    const service = new Proc('podman', ['system', 'service', '--time=0', `unix://${socket}`], { env: containerEnv() });
    cleanups.push(() => service.stop());
    await until('the podman API socket', async () => fs.existsSync(socket), Date.now(), 30_000);
    // The fake WeChat, on every address: the replicas reach the host as host.containers.internal.
    const wideFront = await new HttpsFront(fake.url, tlsFiles, '0.0.0.0').start();
    cleanups.push(() => wideFront.stop());
    httpsPort = await freePort();
    env = containerEnv({
      DOCKER_HOST: `unix://${socket}`,
      POSTGRES_IMAGE: STANDIN.postgres,
      REDIS_IMAGE: STANDIN.redis,
      NGINX_IMAGE: STANDIN.nginx,
      HTTP_PORT: String(await freePort()),
      HTTPS_PORT: String(httpsPort),
    });
    // The README's steps: a certificate where the nginx site looks for it (a test CA's, here) ...
    for (const made of ['deploy/nginx/certs', 'deploy/dev-ca']) fs.rmSync(path.join(dir, made), { recursive: true, force: true });
    expectOk(await run('sh', ['scripts/self-signed-cert.sh'], { cwd: dir }), 'scripts/self-signed-cert.sh');
    ca = fs.readFileSync(path.join(dir, 'deploy', 'dev-ca', 'ca.pem'));
    // ... and the AppID and secret in .env. The database password is the one the generator wrote there.
    const dotenv = fs.readFileSync(path.join(dir, '.env'), 'utf8');
    expect(dotenv).toMatch(/^POSTGRES_PASSWORD=[0-9a-f]{48}$/m);
    fs.writeFileSync(
      path.join(dir, '.env'),
      dotenv
        .replace(/^WX_APPID=.*$/m, `WX_APPID=${APPID}`)
        .replace(/^WX_SECRET=.*$/m, `WX_SECRET=${SECRET}`)
        .replace(/^WX_API_BASE=.*$/m, `WX_API_BASE=https://host.containers.internal:${wideFront.port}`),
    );
    // Test only: the replicas trust the fake WeChat's certificate.
    fs.writeFileSync(
      path.join(dir, 'compose.ci.yaml'),
      `services:\n  app:\n    volumes: ['${frontCert}:/run/fake-wechat-ca.pem:ro']\n    environment:\n      NODE_EXTRA_CA_CERTS: /run/fake-wechat-ca.pem\n`,
    );
    await compose(['down', '-v', '-t', '0']); // a leftover of an interrupted run
    cleanups.push(() => compose(['down', '-v', '-t', '10']));
    // podman runs health checks from systemd timers, and this machine has no systemd as PID 1: run each
    // container's own check every 5 s instead, as the timer would (depends_on waits for their verdicts).
    const checks = setInterval(() => {
      void containersOf().then((names) => names.forEach((c) => void podman(['healthcheck', 'run', c]).catch(() => undefined)));
    }, 5000);
    cleanups.push(async () => clearInterval(checks));
    upStarted = Date.now();
    expectOk(await compose(['up', '-d']), 'docker-compose up -d');
    upMs = Date.now() - upStarted;
  }, 10 * MINUTE);

  test(
    'login → me through nginx; both replicas serve and trust its X-Forwarded-For; the migrations ran once',
    async () => {
      const tls = { ca, servername: DOMAIN };
      seen.readyMs = await until(
        'https /readyz through nginx',
        async () => (await call({ port: httpsPort, path: '/readyz', tls, host: DOMAIN })).status === 200,
        upStarted,
        4 * MINUTE,
      );
      const { code } = fake.newLogin();
      const answer = await call({
        port: httpsPort,
        method: 'POST',
        path: '/api/auth/login',
        body: JSON.stringify({ code }),
        tls,
        host: DOMAIN,
      });
      seen.loginMs = Date.now() - upStarted;
      metrics.push(
        `compose: up -d returned in ${upMs} ms (nginx waits for a healthy app); up → first /readyz 200 through nginx: ${seen.readyMs} ms; → first login through nginx: ${seen.loginMs} ms`,
      );
      expect(answer.status).toBe(200);
      const auth = { authorization: `JWT ${answer.json().token}` };
      for (let i = 0; i < 12; i++) {
        const me = await call({ port: httpsPort, path: '/api/auth/me', headers: auth, tls, host: DOMAIN });
        expect(me.status).toBe(200);
        expect(me.json().user.id).toBe(answer.json().user.id);
      }
      const apps = await containersOf('app');
      expect(apps).toHaveLength(2);
      const [nginx] = await containersOf('nginx');
      const nginxIp = (
        await podman(['inspect', nginx, '--format', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}'])
      ).output.trim();
      expect(nginxIp).toMatch(/^10\.213\.\d+\.\d+$/); // compose.yaml's own subnet
      const logs = await Promise.all(apps.map(async (c) => (await podman(['logs', c])).output));
      for (const log of logs) {
        const mes = log
          .split('\n')
          .filter((l) => l.includes('"path":"/api/auth/me"'))
          .map((l) => JSON.parse(l));
        expect(mes.length).toBeGreaterThan(0); // each replica answered some
        // the client's address as nginx saw it, not nginx's own: TRUSTED_PROXIES names compose's subnet
        for (const line of mes) expect(line.ip).not.toBe(nginxIp);
      }
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
        databaseName(name),
        '-tAc',
        'SELECT migration_name, count(*) FROM _prisma_migrations GROUP BY 1 ORDER BY 1',
      ]);
      expectOk(db, 'psql');
      const rows = db.output.split('\n').filter((l) => /^\d{14}_/.test(l));
      const migrations = fs.readdirSync(path.join(dir, 'prisma', 'migrations'), { withFileTypes: true }).filter((e) => e.isDirectory());
      expect(rows).toHaveLength(migrations.length);
      for (const row of rows) expect(row).toMatch(/\|1$/);
    },
    6 * MINUTE,
  );
});
