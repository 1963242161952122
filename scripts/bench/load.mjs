/**
 * One load-generator run against a URL: wrk when installed (a C client: it leaves the server most of
 * the second core), else autocannon (JavaScript: it needs about as much CPU as the server it loads).
 * Either way: requests/s, p99 latency in ms, the request count, and an error if any answer was not 2xx.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const LOGIN_LUA = path.join(HERE, 'login.lua');

/** 'wrk' or 'autocannon' (BENCH_LOADER forces one). */
export function loaderName() {
  const forced = process.env.BENCH_LOADER;
  if (forced) return forced;
  return spawnSync('wrk', ['--version']).error ? 'autocannon' : 'wrk';
}

const MS = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

/** Parses wrk's report (run with --latency). */
export function parseWrk(out) {
  const num = (re) => {
    const m = out.match(re);
    return m ? Number(m[1]) : 0;
  };
  const p99 = out.match(/^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m);
  const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p99: p99 ? Number(p99[1]) * MS[p99[2]] : NaN,
    total: num(/^\s+(\d+) requests in/m),
    non2xx: num(/Non-2xx or 3xx responses: (\d+)/),
    errors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
  };
}

function wrk({ url, seconds, connections, headers = {}, login }) {
  const args = ['-t', '1', '-c', String(connections), '-d', `${seconds}s`, '--latency', '--timeout', '10s'];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}: ${v}`);
  if (login) args.push('-s', LOGIN_LUA);
  args.push(url);
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { env: { ...process.env, BENCH_CODE_PREFIX: login?.prefix ?? '' } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(parseWrk(out)) : reject(new Error(`wrk exited ${code}:\n${out}`))));
  });
}

async function autocannon({ url, seconds, connections, headers = {}, login }) {
  const run = createRequire(path.join(HERE, 'package.json'))('autocannon');
  let n = 0;
  const requests = login
    ? [
        {
          method: 'POST',
          path: '/api/auth/login',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ code: `${login.prefix}_${n++}` }) }),
        },
      ]
    : undefined;
  const r = await run({ url, duration: seconds, connections, headers, requests });
  return { rps: r.requests.average, p99: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
}

/**
 * Loads `url` for `seconds` with `connections` connections; `login: { prefix }` sends new-user logins
 * instead of GETs. Throws when any answer failed, so that a broken server never shows up as a figure.
 */
export async function load(opts) {
  const r = await (loaderName() === 'wrk' ? wrk(opts) : autocannon(opts));
  if (r.errors > 0 || r.non2xx > 0)
    throw new Error(`${opts.url}: ${r.errors} socket errors, ${r.non2xx} non-2xx answers out of ${r.total}`);
  if (r.total === 0) throw new Error(`${opts.url}: no request completed in ${opts.seconds} s (machine overloaded? raise BENCH_SECONDS)`);
  return r;
}
