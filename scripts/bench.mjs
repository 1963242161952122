#!/usr/bin/env node
/**
 * npm run bench (issue 13): the generated app against small reference servers (bare Koa, Koa + router,
 * Fastify + @fastify/jwt, koa-jwt) in ONE run, in alternating rounds, each figure also as a ratio to
 * bare Koa measured in the same rounds; logins of new users (SQLite, PostgreSQL, Redis); readiness
 * probes; memory; start-up; a CPU profile of /me; scaffold time against create-vite. Prints the report
 * and writes BENCHMARKS.md. Not a test: figures depend on the machine; compare the ratios.
 *
 * Knobs (environment): BENCH_ROUNDS (5), BENCH_SECONDS per round and server (5), BENCH_CONNECTIONS (50),
 * BENCH_LOGIN_CONNECTIONS (32), BENCH_LONG_REQUESTS (200000), BENCH_PROFILE_SECONDS (5),
 * BENCH_SCAFFOLD_RUNS (11), BENCH_LOADER (wrk | autocannon), BENCH_OUT (BENCHMARKS.md; "-" prints only),
 * BENCH_ONLY=memory (start-up and memory of the default project alone, printed as JSON; no report;
 * BENCH_NODE_FLAGS tries other Node flags than the start script's),
 * BENCH_ONLY=package (packed size and npx times against create-vite, and npx with the install, as JSON),
 * BENCH_NPX_RUNS (3), BENCH_ONLY=speed (the throughput rows and the logins alone, as JSON: to try a change quickly;
 * with BENCH_BASE_CLI also that build's /me rows, db and Redis store, in the same rounds; BENCH_SKIP_LOGINS=1: rows only),
 * BENCH_COLD_RUNS (5), BENCH_ONLY=logins (new-user logins, SQLite and Redis store, the first logins after start
 * and the cold start, as JSON: to iterate on the login path; BENCH_BASE_CLI=<another build's
 * bin/create-wx-backend.js> adds its default project to every figure, measured in the same rounds: before/after).
 * The generated apps run on Node 22 from .tmp/toolchains (.ci/toolchains), the Node their tests run on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sh, projects } from './bench/projects.mjs';
import { freePort, rssMb, startServer, stop } from './bench/processes.mjs';
import { load, loaderName } from './bench/load.mjs';
import { hs256Token } from './bench/jwt.mjs';
import { spread } from './bench/stats.mjs';
import { scaffoldTimes } from './bench/scaffold.mjs';
import { summariseFile } from './bench/cpu-profile.mjs';
import { report } from './bench/report.mjs';
import { packageTimes } from './bench/package-timing.mjs';
import { containerSection } from './bench/containers.mjs';
import toolchains from './toolchains.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = path.join(REPO, 'scripts', 'bench');
const E2E = process.env.CWB_E2E_DIR ?? path.join(REPO, '.tmp', 'e2e');
const num = (name, fallback) => Number(process.env[name] ?? fallback);
const CFG = {
  rounds: num('BENCH_ROUNDS', 5),
  seconds: num('BENCH_SECONDS', 5),
  connections: num('BENCH_CONNECTIONS', 50),
  loginConnections: num('BENCH_LOGIN_CONNECTIONS', 32),
  longRequests: num('BENCH_LONG_REQUESTS', 200_000),
  profileSeconds: num('BENCH_PROFILE_SECONDS', 5),
  scaffoldRuns: num('BENCH_SCAFFOLD_RUNS', 11),
  coldRuns: num('BENCH_COLD_RUNS', 5),
  loader: loaderName(),
};
const APPID = 'wx0123456789abcdef';
const WX_SECRET = 'bench-app-secret';
const JWT_SECRET = 'b'.repeat(64);
const CLOCK_TICKS = Number(sh('getconf', ['CLK_TCK']).trim()); // /proc/<pid>/stat counts in these
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
// Every server (the apps, the reference servers, tsx) runs on the Node the generated projects are tested on.
Object.assign(process.env, toolchains.nodeEnv(toolchains.E2E_NODE));
const APP_NODE = path.join(toolchains.nodeHome(toolchains.E2E_NODE), 'bin', 'node');

/** Reference servers' own pinned packages (scripts/bench/package.json), installed on first use. */
function installReferenceServers() {
  const stamp = path.join(BENCH, 'node_modules', '.package-lock.json');
  if (fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= fs.statSync(path.join(BENCH, 'package-lock.json')).mtimeMs) return;
  log('installing the reference servers (npm ci --prefix scripts/bench)');
  sh('npm', ['ci', '--prefix', BENCH, '--no-audit', '--no-fund', '--loglevel=error'], { stdio: 'inherit' });
}

const appEnv = (extra) => ({
  NODE_ENV: 'development',
  WX_APPID: APPID,
  WX_SECRET,
  JWT_SECRET,
  HOST: '127.0.0.1',
  LOG_REQUESTS: 'true',
  SESSION_TTL: '86400',
  // every login comes from one address here: the limits still count each login, but never refuse one
  LOGIN_RATE_PER_IP: '1000000',
  LOGIN_RATE_PER_OPENID: '1000000',
  ...extra,
});

async function json(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return { status: res.status, text, body: JSON.parse(text) };
}

/**
 * Node's arguments for the project as `npm start` runs it (its V8 flags, then dist/server.js), so that
 * the bench measures what production runs.
 */
function serverArgs(dir) {
  const start = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.start;
  const m = /^node ((?:--\S+ )*)dist\/server\.js$/.exec(start);
  if (!m) throw new Error(`${dir}: the start script is not "node [flags] dist/server.js": ${start}`);
  return [...m[1].split(' ').filter(Boolean), 'dist/server.js'];
}

let codes = 0;
async function login(base) {
  const t = performance.now();
  const r = await json(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: `cwbbench_${process.pid}_one_${codes++}` }),
  });
  return { token: r.body.token, ms: performance.now() - t };
}

/** The readiness route: /readyz, or /healthz in projects made before it existed. */
async function readinessPath(base) {
  return (await fetch(`${base}/readyz`)).status === 404 ? '/healthz' : '/readyz';
}

/** RSS of Node itself on the apps' Node, having loaded nothing: the floor under every figure of memory. */
const nodeFloorRss = () =>
  Number(
    sh(APP_NODE, [
      '-e',
      String.raw`console.log(require('fs').readFileSync('/proc/self/status', 'utf8').match(/VmRSS:\s+(\d+)/)[1] / 1024)`,
    ]).trim(),
  );

/** Start-up, first database answers, memory after start, and over a long authenticated run. */
async function startupAndMemory(dir, env, args = serverArgs(dir)) {
  const app = await startServer({ args, cwd: dir, env, port: freePort() });
  const out = { listeningMs: app.listeningMs, rssAfterStart: rssMb(app.child.pid), nodeFloorRss: nodeFloorRss() };
  const probe = await readinessPath(app.url);
  await json(app.url + probe);
  out.firstReadyMs = performance.now() - app.started;
  const first = await login(app.url);
  out.rssAfterLogin = rssMb(app.child.pid);
  const later = [];
  for (let i = 0; i < 5; i++) later.push((await login(app.url)).ms);
  Object.assign(out, { firstLoginMs: first.ms, laterLoginMs: spread(later) });
  const headers = { authorization: `JWT ${first.token}` };
  let total = 0;
  out.rssSeries = [];
  while (total < CFG.longRequests) {
    total += (await load({ url: `${app.url}/api/auth/me`, seconds: 2, connections: CFG.connections, headers })).total;
    out.rssSeries.push({ requests: total, rss: rssMb(app.child.pid) });
    if (out.rssAfterWarmup === undefined && total >= Math.min(20_000, CFG.longRequests / 4)) out.rssAfterWarmup = out.rssSeries.at(-1);
  }
  out.rssAfterLong = out.rssSeries.at(-1);
  out.peakRss = rssMb(app.child.pid, 'VmHWM');
  await stop(app);
  // PM2, systemd and the Dockerfile also set MALLOC_ARENA_MAX (npm start cannot): the same start and login with it
  out.mallocArenaMax = /^Environment=MALLOC_ARENA_MAX=(\d+)$/m.exec(
    fs.readFileSync(path.join(dir, 'deploy/systemd/app@.service'), 'utf8'),
  )?.[1];
  if (!out.mallocArenaMax) throw new Error(`${dir}: the systemd unit sets no MALLOC_ARENA_MAX`);
  const prod = await startServer({ args, cwd: dir, env: { ...env, MALLOC_ARENA_MAX: out.mallocArenaMax }, port: freePort() });
  await json(prod.url + probe);
  await login(prod.url);
  out.rssAfterLoginProduction = rssMb(prod.child.pid);
  await stop(prod);
  return out;
}

/**
 * Cold start, as a service scaled to zero (or restarted by PM2) lives it: process spawn → the first login
 * answered, the login sent as soon as the port accepts connections (no readiness probe first).
 */
async function coldStart(dir, env) {
  const runs = [];
  for (let i = 0; i < CFG.coldRuns; i++) {
    const app = await startServer({ args: serverArgs(dir), cwd: dir, env, port: freePort() });
    await login(app.url);
    runs.push({ total: performance.now() - app.started, listening: app.listeningMs });
    await stop(app);
  }
  return { firstLoginMs: spread(runs.map((r) => r.total)), listeningMs: spread(runs.map((r) => r.listening)) };
}

/**
 * CPU time (user + system, µs) the process has used so far: per request, the figure that the other
 * processes on a 2-core machine disturb least.
 */
const cpuMicros = (pid) => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
};

/** `rounds` rounds over every target, each round in a rotated order; requests/s and p99 per target. */
async function alternate(targets, { rounds, seconds, connections, warmUp = false }) {
  const results = Object.fromEntries(targets.map((t) => [t.name, { rps: [], p99: [], cpu: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < targets.length; i++) {
      const t = targets[(i + r) % targets.length];
      const cpuBefore = cpuMicros(t.pid);
      const m = await load({ url: t.url, seconds, connections, headers: t.headers, login: t.login?.(r) }).catch((err) => {
        if (warmUp && /no request completed/.test(err.message)) return { rps: 0, p99: NaN }; // a cold server may not finish one
        throw new Error(`${t.name}: ${err.message}`);
      });
      results[t.name].rps.push(m.rps);
      results[t.name].p99.push(m.p99);
      if (m.total > 0) results[t.name].cpu.push((cpuMicros(t.pid) - cpuBefore) / m.total);
    }
    log(`round ${r + 1}/${rounds}: ${targets.map((t) => `${t.name} ${Math.round(results[t.name].rps.at(-1))}`).join(', ')}`);
  }
  return Object.fromEntries(
    Object.entries(results).map(([k, v]) => [k, { rps: spread(v.rps), p99: spread(v.p99), cpu: spread(v.cpu), perRound: v.rps }]),
  );
}

/** BENCH_ONLY=speed's JSON: per row the medians of requests/s, ratio to bare Koa, p99 and CPU µs per request (with its range). */
const brief = (o, ratio) =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [
      k,
      { rps: Math.round(v.rps.median), ratio: ratio?.[k]?.median, p99: v.p99.median, cpu: v.cpu.median, cpuRange: [v.cpu.min, v.cpu.max] },
    ]),
  );

/** Ratio of each round's figure to bare Koa's in the same round, as median and spread. */
const ratios = (rows, base) =>
  Object.fromEntries(Object.entries(rows).map(([k, v]) => [k, spread(v.perRound.map((x, i) => x / base.perRound[i]))]));

/** How long after a logout on instance A instance B still accepts the token (both Redis store). */
async function logoutWindow(dir, env) {
  const [a, b] = await Promise.all([0, 1].map(() => startServer({ args: serverArgs(dir), cwd: dir, env, port: freePort() })));
  try {
    const { token } = await login(a.url);
    const headers = { authorization: `JWT ${token}` };
    await json(`${b.url}/api/auth/me`, { headers }); // B now holds the session in its short cache
    const res = await fetch(`${a.url}/api/auth/logout`, { method: 'POST', headers });
    if (res.status !== 204) throw new Error(`logout answered ${res.status}`);
    const t = performance.now();
    while ((await fetch(`${b.url}/api/auth/me`, { headers })).status === 200) {
      if (performance.now() - t > 60_000) throw new Error('instance B still accepts the token 60 s after logout');
      await new Promise((r) => setTimeout(r, 5));
    }
    return performance.now() - t;
  } finally {
    await Promise.all([stop(a), stop(b)]);
  }
}

/** A CPU profile of the default project under /me load, summarised. */
async function profileMe(dir, env) {
  const profDir = fs.mkdtempSync(path.join(E2E, 'bench-prof-'));
  const app = await startServer({ args: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, ...serverArgs(dir)], cwd: dir, env, port: freePort() });
  const { token } = await login(app.url);
  await load({
    url: `${app.url}/api/auth/me`,
    seconds: CFG.profileSeconds,
    connections: CFG.connections,
    headers: { authorization: `JWT ${token}` },
  });
  await stop(app);
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile written in ${profDir} (did the app exit through process.exit on SIGTERM?)`);
  const summary = summariseFile(path.join(profDir, file), CFG.profileSeconds); // the load only, not start-up
  fs.rmSync(profDir, { recursive: true, force: true });
  return summary;
}

/** BENCH_ONLY=package: how the CLI installs from npm, beside create-vite (scripts/bench/package-timing.mjs). */
function packageOnly() {
  const out = packageTimes(REPO, num('BENCH_NPX_RUNS', 3), process.env);
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

/** BENCH_ONLY=memory: the default project's start-up and memory as `npm start` runs it, as JSON. */
async function memoryOnly() {
  const p = projects({ repo: REPO, e2eDir: E2E });
  const servers = [];
  try {
    const dir = p.build('db', []);
    const url = p.resetDatabase(dir, 'sqlite');
    const fakePort = freePort();
    const fakeCode = `const { FakeWechat } = require(${JSON.stringify(p.fakeWechatModule(dir))});
      new FakeWechat({ appid: '${APPID}', secret: '${WX_SECRET}', anyCode: true }).start(${fakePort});`;
    servers.push(await startServer({ command: p.tsx, args: ['-e', fakeCode], cwd: dir, port: fakePort }));
    const env = appEnv({ WX_API_BASE: `http://127.0.0.1:${fakePort}`, DATABASE_URL: url, SESSION_STORE: 'db' });
    // BENCH_NODE_FLAGS: other flags than the start script's, to try them
    const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? serverArgs(dir).slice(0, -1);
    const memory = await startupAndMemory(dir, env, [...flags, 'dist/server.js']);
    const { rssSeries, ...figures } = memory;
    const out = { node: sh(APP_NODE, ['--version']).trim(), flags: flags.join(' '), ...figures };
    process.stdout.write(`${JSON.stringify({ ...out, rssSeries: rssSeries.map((x) => Math.round(x.rss)) }, null, 1)}\n`);
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    await p.cleanUp();
  }
}

/**
 * BENCH_ONLY=logins: the figures of the login path alone (new-user logins at BENCH_LOGIN_CONNECTIONS, the
 * first login after start against the next five, spawn → first login answered), for the default project
 * and the Redis store, and for the default project of BENCH_BASE_CLI when set, alternated in one run.
 */
async function loginsOnly() {
  if (CFG.loader === 'autocannon') installReferenceServers();
  const p = projects({ repo: REPO, e2eDir: E2E });
  const servers = [];
  try {
    const base = process.env.BENCH_BASE_CLI ? path.resolve(process.env.BENCH_BASE_CLI) : null;
    const dirs = { db: p.build('db', []), redis: p.build('redis', ['--session-store', 'redis']) };
    if (base) dirs.base = p.build('base', [], base);
    const redisUrl = await p.claimRedis();
    const fakePort = freePort();
    const fakeCode = `const { FakeWechat } = require(${JSON.stringify(p.fakeWechatModule(dirs.db))});
      new FakeWechat({ appid: '${APPID}', secret: '${WX_SECRET}', anyCode: true }).start(${fakePort});`;
    const fake = await startServer({ command: p.tsx, args: ['-e', fakeCode], cwd: dirs.db, port: fakePort });
    servers.push(fake);
    const wx = { WX_API_BASE: `http://127.0.0.1:${fakePort}` };
    const env = {};
    for (const k of Object.keys(dirs)) {
      const extra = k === 'redis' ? { SESSION_STORE: 'redis', REDIS_URL: redisUrl } : { SESSION_STORE: 'db' };
      env[k] = appEnv({ ...wx, DATABASE_URL: p.resetDatabase(dirs[k], 'sqlite'), ...extra });
    }
    const sqliteKeys = Object.keys(dirs).filter((k) => k !== 'redis');
    log(`first logins after start and cold start (${CFG.coldRuns} runs each, alternated)`);
    const first = Object.fromEntries(sqliteKeys.map((k) => [k, { cold: [], listening: [], first: [], later: [], rss: [] }]));
    for (let i = 0; i < CFG.coldRuns; i++) {
      for (const k of i % 2 ? [...sqliteKeys].reverse() : sqliteKeys) {
        let app = await startServer({ args: serverArgs(dirs[k]), cwd: dirs[k], env: env[k], port: freePort() });
        await login(app.url);
        first[k].cold.push(performance.now() - app.started);
        first[k].listening.push(app.listeningMs);
        await stop(app);
        app = await startServer({ args: serverArgs(dirs[k]), cwd: dirs[k], env: env[k], port: freePort() });
        await json(app.url + (await readinessPath(app.url)));
        first[k].first.push((await login(app.url)).ms);
        first[k].rss.push(rssMb(app.child.pid));
        const later = [];
        for (let j = 0; j < 5; j++) later.push((await login(app.url)).ms);
        first[k].later.push(spread(later).median);
        await stop(app);
      }
    }
    const apps = {};
    for (const k of Object.keys(dirs)) {
      apps[k] = await startServer({ args: ['dist/server.js'], cwd: dirs[k], env: env[k], port: freePort() });
      servers.push(apps[k]);
    }
    const names = { db: 'SQLite', redis: 'Redis store (SQLite users)', base: 'SQLite, BENCH_BASE_CLI' };
    const targets = Object.keys(dirs).map((k) => ({
      key: k,
      name: names[k],
      url: apps[k].url,
      pid: apps[k].child.pid,
      login: (r) => ({ prefix: `cwbbench_${process.pid}_${k}_${r}` }),
    }));
    log(`logins of new users: ${CFG.rounds} rounds × ${targets.length} × ${CFG.seconds} s at ${CFG.loginConnections} connections`);
    const warm = targets.map((t) => ({ ...t, login: () => ({ prefix: `cwbbench_${process.pid}_warm_${t.key}` }) }));
    await alternate(warm, { rounds: 1, seconds: Math.min(2, CFG.seconds), connections: CFG.loginConnections, warmUp: true });
    const logins = await alternate(targets, { rounds: CFG.rounds, seconds: CFG.seconds, connections: CFG.loginConnections });
    const round = (s, d = 1) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number(v.toFixed(d))]));
    const out = {
      logins: Object.fromEntries(
        Object.entries(logins).map(([k, v]) => [
          k,
          { rps: round(v.rps, 0), p99: round(v.p99), cpuMsPerLogin: round({ median: v.cpu.median / 1000 }, 2).median },
        ]),
      ),
      start: Object.fromEntries(
        Object.entries(first).map(([k, v]) => [
          names[k],
          {
            coldFirstLoginMs: round(spread(v.cold), 0),
            listeningMs: round(spread(v.listening), 0),
            firstLoginMs: round(spread(v.first)),
            nextFiveMedianMs: round(spread(v.later)),
            firstOverNext: round(spread(v.first.map((f, i) => f / v.later[i])), 2),
            rssAfterFirstLoginMb: round(spread(v.rss)),
          },
        ]),
      ),
    };
    process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    await p.cleanUp();
  }
}

async function main() {
  const t0 = performance.now();
  sh(process.execPath, [path.join(REPO, 'scripts', 'shared-deps.js'), E2E, '--install'], { stdio: 'inherit' });
  if (process.env.BENCH_ONLY === 'memory') return memoryOnly();
  if (process.env.BENCH_ONLY === 'logins') return loginsOnly();
  if (process.env.BENCH_ONLY === 'package') return packageOnly();
  installReferenceServers();
  const p = projects({ repo: REPO, e2eDir: E2E });
  const servers = [];
  const start = async (opts) => {
    const s = await startServer(opts);
    servers.push(s);
    return s;
  };
  const quick = process.env.BENCH_ONLY === 'speed';
  try {
    log('generating and building the projects');
    const dirs = {
      db: p.build('db', []),
      redis: p.build('redis', ['--session-store', 'redis']),
      pg: p.build('pg', ['--db', 'postgresql']),
    };
    // BENCH_BASE_CLI (BENCH_ONLY=speed): another build's default and Redis-store projects, in the same rounds
    const baseCli = quick && process.env.BENCH_BASE_CLI ? path.resolve(process.env.BENCH_BASE_CLI) : null;
    if (baseCli) {
      dirs.baseDb = p.build('base-db', [], baseCli);
      dirs.baseRedis = p.build('base-redis', ['--session-store', 'redis'], baseCli);
    }
    const urls = {
      db: p.resetDatabase(dirs.db, 'sqlite'),
      redis: p.resetDatabase(dirs.redis, 'sqlite'),
      pg: p.resetDatabase(dirs.pg, 'postgresql'),
      ...(baseCli && { baseDb: p.resetDatabase(dirs.baseDb, 'sqlite'), baseRedis: p.resetDatabase(dirs.baseRedis, 'sqlite') }),
    };
    const redisUrl = await p.claimRedis();

    const fakePort = freePort();
    const fakeCode = `const { FakeWechat } = require(${JSON.stringify(p.fakeWechatModule(dirs.db))});
      new FakeWechat({ appid: '${APPID}', secret: '${WX_SECRET}', anyCode: true }).start(${fakePort});`;
    await start({ command: p.tsx, args: ['-e', fakeCode], cwd: dirs.db, port: fakePort });
    const wx = { WX_API_BASE: `http://127.0.0.1:${fakePort}` };
    const env = {
      db: appEnv({ ...wx, DATABASE_URL: urls.db, SESSION_STORE: 'db' }),
      redis: appEnv({ ...wx, DATABASE_URL: urls.redis, SESSION_STORE: 'redis', REDIS_URL: redisUrl }),
      pg: appEnv({ ...wx, DATABASE_URL: urls.pg, SESSION_STORE: 'db' }),
      ...(baseCli && {
        baseDb: appEnv({ ...wx, DATABASE_URL: urls.baseDb, SESSION_STORE: 'db' }),
        baseRedis: appEnv({ ...wx, DATABASE_URL: urls.baseRedis, SESSION_STORE: 'redis', REDIS_URL: redisUrl }),
      }),
    };

    log('start-up and memory (default project)');
    const memory = quick ? null : await startupAndMemory(dirs.db, env.db);
    log('logout seen by another instance (Redis store)');
    const logoutMs = quick ? null : await logoutWindow(dirs.redis, env.redis);

    const apps = {};
    for (const k of ['db', 'redis', 'pg']) apps[k] = await start({ args: ['dist/server.js'], cwd: dirs[k], env: env[k], port: freePort() });
    // the same default app with request logging off: the cost of one log line per request
    apps.dbQuiet = await start({ args: ['dist/server.js'], cwd: dirs.db, env: { ...env.db, LOG_REQUESTS: 'false' }, port: freePort() });
    // the default app as `npm start` runs it: its V8 flags' effect on speed (every other server runs with V8's defaults)
    apps.dbStart = await start({ args: serverArgs(dirs.db), cwd: dirs.db, env: env.db, port: freePort() });
    const tokens = { db: (await login(apps.db.url)).token, redis: (await login(apps.redis.url)).token };
    const baseRows = [];
    if (baseCli) {
      for (const [k, name] of [
        ['baseDb', 'BENCH_BASE_CLI app /me, db store'],
        ['baseRedis', 'BENCH_BASE_CLI app /me, Redis store'],
      ]) {
        apps[k] = await start({ args: ['dist/server.js'], cwd: dirs[k], env: env[k], port: freePort() });
        const headers = { authorization: `JWT ${(await login(apps[k].url)).token}` };
        baseRows.push({ name, server: apps[k], path: '/api/auth/me', headers });
      }
    }
    const dbAuth = { authorization: `JWT ${tokens.db}` };
    const meBody = (await json(`${apps.db.url}/api/auth/me`, { headers: { authorization: `JWT ${tokens.db}` } })).text;
    const probe = await readinessPath(apps.db.url);
    // the app's NODE_ENV: development only to allow the http:// fake WeChat; APP_DIR: koa-pino runs the app's own request log
    const refEnv = { BENCH_BODY: meBody, JWT_SECRET, NODE_ENV: env.db.NODE_ENV, APP_DIR: dirs.db };
    const ref = {};
    for (const name of ['bare-koa', 'koa-pino', 'koa-router', 'fastify-jwt', 'koa-jwt']) {
      ref[name] = await start({ args: [path.join(BENCH, 'servers', `${name}.cjs`)], cwd: BENCH, env: refEnv, port: freePort() });
    }
    // the app's authentication alone, from the same build and database
    apps.dbAuthOnly = await start({
      args: [path.join(BENCH, 'servers', 'app-auth-only.cjs')],
      cwd: dirs.db,
      env: { ...env.db, APP_DIR: dirs.db, BENCH_BODY: meBody },
      port: freePort(),
    });
    const bearer = { authorization: `Bearer ${hs256Token(JWT_SECRET)}` };
    const targets = [
      { name: 'bare Koa', server: ref['bare-koa'], path: '/api/auth/me' },
      { name: 'bare Koa + one pino line per request', server: ref['koa-pino'], path: '/api/auth/me' },
      { name: 'Koa + @koa/router', server: ref['koa-router'], path: '/api/auth/me' },
      { name: 'Fastify + @fastify/jwt', server: ref['fastify-jwt'], path: '/api/auth/me', headers: bearer },
      { name: 'Koa + koa-jwt', server: ref['koa-jwt'], path: '/api/auth/me', headers: bearer },
      { name: "the app's JwtAuth alone on bare Koa, db store", server: apps.dbAuthOnly, path: '/api/auth/me', headers: dbAuth },
      { name: 'app /me, db store', server: apps.db, path: '/api/auth/me', headers: dbAuth },
      { name: 'app /me, db store, logging off', server: apps.dbQuiet, path: '/api/auth/me', headers: dbAuth },
      { name: 'app /me, db store, as npm start runs it (V8 flags)', server: apps.dbStart, path: '/api/auth/me', headers: dbAuth },
      { name: 'app /me, Redis store', server: apps.redis, path: '/api/auth/me', headers: { authorization: `JWT ${tokens.redis}` } },
      ...baseRows,
      { name: `app ${probe}`, server: apps.db, path: probe },
    ].map(({ server, path: p, ...t }) => ({ ...t, url: server.url + p, pid: server.child.pid }));
    const sizes = new Set();
    for (const t of targets.slice(0, -1)) {
      const answer = await json(t.url, { headers: t.headers }).catch((err) => {
        throw new Error(`${t.name}: ${err.message}`);
      });
      sizes.add(answer.text.length);
    }
    if (sizes.size !== 1) throw new Error(`the servers answer bodies of different sizes: ${[...sizes].join(', ')} bytes`);

    log(`throughput: ${CFG.rounds} rounds × ${targets.length} servers × ${CFG.seconds} s (${CFG.loader})`);
    await alternate(targets, { rounds: 1, seconds: Math.min(2, CFG.seconds), connections: CFG.connections, warmUp: true }); // warm-up, not counted
    const rows = await alternate(targets, CFG);
    for (const t of targets) rows[t.name].rss = rssMb(t.pid); // each server's memory after the same load

    const bareRps = rows['bare Koa'].rps.median;
    // this build against BENCH_BASE_CLI's, round by round: requests/s ratio, and CPU µs per request over the ceiling
    const ceiling = rows['bare Koa + one pino line per request'].cpu.median;
    const versus = baseCli && {
      ownUsOverCeiling: {
        db: rows['app /me, db store'].cpu.median - ceiling,
        base: rows['BENCH_BASE_CLI app /me, db store'].cpu.median - ceiling,
      },
      rpsOverBase: {
        db: spread(rows['app /me, db store'].perRound.map((x, i) => x / rows['BENCH_BASE_CLI app /me, db store'].perRound[i])),
        redis: spread(rows['app /me, Redis store'].perRound.map((x, i) => x / rows['BENCH_BASE_CLI app /me, Redis store'].perRound[i])),
      },
    };
    if (quick && process.env.BENCH_SKIP_LOGINS) {
      process.stdout.write(`${JSON.stringify({ rows: brief(rows, ratios(rows, rows['bare Koa'])), versus }, null, 1)}\n`);
      return;
    }
    log(`logins of new users: ${CFG.rounds} rounds × 3 × ${CFG.seconds} s at ${CFG.loginConnections} connections`);
    const loginTarget = (name, app) => ({
      name,
      url: app.url,
      pid: app.child.pid,
      login: (r) => ({ prefix: `cwbbench_${process.pid}_${name.split(' ')[0]}_${r}` }),
    });
    const loginTargets = [
      loginTarget('SQLite', apps.db),
      loginTarget('PostgreSQL', apps.pg),
      loginTarget('Redis store (SQLite users)', apps.redis),
    ];
    await alternate(
      loginTargets.map((t) => ({ ...t, login: () => ({ prefix: `cwbbench_${process.pid}_warm_${t.name.split(' ')[0]}` }) })),
      {
        rounds: 1,
        seconds: Math.min(2, CFG.seconds),
        connections: CFG.loginConnections,
        warmUp: true,
      },
    ); // warm-up, not counted
    const logins = await alternate(loginTargets, { rounds: CFG.rounds, seconds: CFG.seconds, connections: CFG.loginConnections });
    if (quick) {
      const r = ratios(rows, rows['bare Koa']);
      process.stdout.write(`${JSON.stringify({ rows: brief(rows, r), versus, logins: brief(logins) }, null, 1)}\n`);
      return;
    }

    for (const s of servers.filter((s) => Object.values(apps).includes(s) || Object.values(ref).includes(s))) await stop(s);
    log(`CPU profile of /me (${CFG.profileSeconds} s)`);
    const profile = await profileMe(dirs.db, env.db);
    // after the throughput rows: its logins add users, and every server must answer /me with the same bytes
    log(`cold start: spawn → first login answered, ${CFG.coldRuns} runs`);
    const cold = await coldStart(dirs.db, env.db);
    log(`scaffold: ${CFG.scaffoldRuns} runs each`);
    const scaffold = scaffoldTimes(REPO, CFG.scaffoldRuns);
    log('from npm: packed size, npx with an empty cache, npx with the install');
    const npx = packageTimes(REPO, num('BENCH_NPX_RUNS', 3), process.env);

    const text =
      report({
        cfg: CFG,
        rows,
        ratios: ratios(rows, rows['bare Koa']),
        logins,
        bareRps,
        memory,
        cold,
        logoutMs,
        profile,
        scaffold,
        npx,
        bodyBytes: meBody.length,
        probe,
        minutes: (performance.now() - t0) / 60_000,
        nodeFlags: serverArgs(dirs.db).slice(0, -1).join(' '),
        appNode: sh(APP_NODE, ['--version']).trim(),
      }) + containerSection(path.join(REPO, '.tmp', 'containers', 'figures.json'));
    const out = process.env.BENCH_OUT ?? path.join(REPO, 'BENCHMARKS.md');
    if (out !== '-') fs.writeFileSync(out, text);
    process.stdout.write(text);
  } finally {
    await Promise.all(servers.map((s) => stop(s)));
    await p.cleanUp();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
