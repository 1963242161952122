import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { nodeHome } from '../../scripts/toolchains';
import { MALLOC_ARENA_MAX, SUPPORTED_NODE } from '../../src/project-rules';
import { expectOk, generateProject, run } from '../support/e2e';

/**
 * The README's "Production start", as written: the systemd commands are run with /etc/systemd/system
 * moved to a temporary folder (this container has no systemd as PID 1, so `systemctl` lines are checked,
 * not run), the units are checked with `systemd-analyze verify`, and the PM2 file is loaded as PM2 would.
 */
const NAME = 'prod-start';
const PORT = 4100;
let dir: string;
let readme: string;
let units: string;

function readmeBlock(heading: string, nth = 0): string {
  const from = readme.indexOf(heading);
  expect(from).toBeGreaterThan(-1);
  const block = [...readme.slice(from).matchAll(/```sh\n([\s\S]*?)```/g)][nth];
  if (!block) throw new Error(`no sh block after ${heading}`);
  return block[1];
}

/** The block's lines, `sudo` and the unit folder moved; `systemctl` lines are returned, not run. */
function runSystemdBlock(block: string): string[] {
  const lines = block.replaceAll('sudo ', '').replaceAll('/etc/systemd/system', units).split('\n').filter(Boolean);
  const systemctl = lines.filter((l) => l.startsWith('systemctl '));
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', lines.filter((l) => !systemctl.includes(l)).join('\n')], {
    cwd: dir,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${block}\nexited ${r.status}: ${r.stderr}`);
  return systemctl;
}

/** `Key=value` settings of a unit file (the last one wins, as in systemd, except repeatable keys). */
function settings(file: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = line.match(/^([A-Za-z]+)=(.*)$/);
    if (m) (out[m[1]] ??= []).push(m[2]);
  }
  return out;
}

const upstreamPorts = () =>
  [...fs.readFileSync(path.join(dir, 'deploy', 'nginx', 'sites', 'app.conf'), 'utf8').matchAll(/server 127\.0\.0\.1:(\d+)/g)].map((m) =>
    Number(m[1]),
  );

beforeAll(async () => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0)
    throw new Error('systemd-analyze is missing (Debian: apt-get install systemd)');
  dir = generateProject(NAME, ['--db', 'postgresql', '--session-store', 'redis', '--port', String(PORT), '--instances', '2']);
  readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
  units = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-units-'));
});

afterAll(() => fs.rmSync(units, { recursive: true, force: true }));

/** The generated package.json's `npm start` command. */
const startScript = () => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).scripts.start as string;

test('the production start has no V8 testing flag, and every supported Node accepts its flags', async () => {
  const flags = startScript().split(' ').slice(1, -1);
  expect(flags.length).toBeGreaterThan(0);
  // V8 documents these as testing flags: a WebAssembly function Liftoff cannot compile would stop the process
  for (const testing of ['--liftoff-only', '--liftoff', '--no-wasm-tier-up']) expect(flags).not.toContain(testing);
  for (const { major } of SUPPORTED_NODE) {
    const r = await run(path.join(nodeHome(major), 'bin', 'node'), [...flags, '-e', 'process.stdout.write(process.version)']);
    expect([r.code, r.output]).toEqual([0, expect.stringMatching(new RegExp(`^v${major}\\.`))]);
  }
});

test('systemd: the README installs the app template and a drop-in naming this user, folder and node', () => {
  const systemctl = runSystemdBlock(readmeBlock('**systemd**'));
  expect(systemctl).toEqual([
    'systemctl daemon-reload',
    `systemctl enable --now ${upstreamPorts()
      .map((p) => `${NAME}@${p}`)
      .join(' ')}`,
  ]);
  expect(upstreamPorts()).toEqual([PORT, PORT + 1]);

  const unit = settings(path.join(units, `${NAME}@.service`));
  // the instance is the port; fewer malloc arenas, as PM2 and the Dockerfile set too
  expect(unit.Environment).toEqual(['NODE_ENV=production PORT=%i', `MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX}`]);
  // the same command as `npm start`, flags included
  const start = startScript();
  expect(start).toMatch(/^node (--[a-z-]+=?\S* )+dist\/server\.js$/);
  expect(unit.ExecStart).toEqual([`/usr/bin/env ${start}`]);
  expect(unit.TimeoutStopSec).toEqual(['10']); // > the app's 8 s shutdown bound
  expect(unit.KillSignal).toEqual(['SIGTERM']);
  expect(unit.Restart).toEqual(['on-failure']);
  expect(unit.WantedBy).toEqual(['multi-user.target']); // `enable` makes it start at boot
  expect(unit.After[0]).toMatch(/postgresql\.service.*redis-server\.service/);

  const local = settings(path.join(units, `${NAME}@.service.d`, 'local.conf'));
  expect(local.User).toEqual([os.userInfo().username]);
  expect(local.WorkingDirectory).toEqual([dir]); // where .env and dist/ are
  expect(local.Environment[0].split('=')[1].split(':')).toContain(path.dirname(process.execPath));
});

test('systemd: nginx with the project config, a unit whose start command passes with the certificate in place', async () => {
  const systemctl = runSystemdBlock(readmeBlock('nginx under systemd'));
  expect(systemctl).toEqual(['systemctl daemon-reload', 'systemctl disable --now nginx', `systemctl enable --now ${NAME}-nginx`]);
  const prefix = settings(path.join(units, `${NAME}-nginx.service.d`, 'local.conf')).Environment[0].replace(/^NGINX_PREFIX=/, '');
  expect(prefix).toBe(`${path.join(dir, 'deploy', 'nginx')}/`);
  const unit = settings(path.join(units, `${NAME}-nginx.service`));
  expect(unit.Conflicts).toEqual(['nginx.service']);
  expect(unit.KillSignal).toEqual(['SIGQUIT']); // graceful: requests in flight finish
  // What systemd would run first, with ${NGINX_PREFIX} expanded: needs the certificate, like the README says.
  expectOk(await run('sh', ['scripts/self-signed-cert.sh'], { cwd: dir }), 'npm run cert:dev');
  const [cmd, ...args] = unit.ExecStartPre[0].replace('${NGINX_PREFIX}', prefix).split(' ');
  expectOk(await run(cmd, args), unit.ExecStartPre[0]);
});

test('systemd-analyze verify accepts both units with their drop-ins, without a warning', () => {
  for (const f of [`${NAME}@.service`, `${NAME}-nginx.service`]) expect(fs.existsSync(path.join(units, f))).toBe(true);
  const r = spawnSync('systemd-analyze', ['verify', `${NAME}@${PORT}.service`, `${NAME}-nginx.service`], {
    cwd: units,
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_UNIT_PATH: `${units}:` },
  });
  expect([r.status, r.stdout + r.stderr]).toEqual([0, '']);
});

test('PM2: one process per upstream port, killed only after the app had its 8 s to finish', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { apps } = require(path.join(dir, 'deploy', 'ecosystem.config.cjs'));
  expect(apps.map((a: { env: { PORT: string } }) => Number(a.env.PORT))).toEqual(upstreamPorts());
  for (const app of apps) {
    expect(app).toMatchObject({
      script: 'dist/server.js',
      cwd: dir,
      kill_timeout: 10000,
      env: { NODE_ENV: 'production', MALLOC_ARENA_MAX },
    });
    expect(`node ${app.node_args} ${app.script}`).toBe(startScript());
  }
  // PM2 is a prerequisite, installed at one pinned version, the same in the README and the file.
  const pinned = fs.readFileSync(path.join(dir, 'deploy', 'ecosystem.config.cjs'), 'utf8').match(/npm i -g pm2@(\d+\.\d+\.\d+)/)?.[1];
  expect(pinned).toBeDefined();
  expect(readme).toContain(`\`npm i -g pm2@${pinned}\``);
  expect(readmeBlock('**PM2**')).toMatch(/^pm2 start deploy\/ecosystem\.config\.cjs\npm2 save .*\npm2 startup /);
});

test('the ecosystem file is one for every store, and says that the memory store runs one instance', () => {
  const ecosystem = (store: string) => {
    const d = generateProject(`${NAME}-${store}`, ['--session-store', store]);
    return fs.readFileSync(path.join(d, 'deploy', 'ecosystem.config.cjs'), 'utf8').replaceAll(`${NAME}-${store}`, NAME);
  };
  // sessions and the WeChat access token are shared through the store (database or Redis) alike
  expect(ecosystem('db')).toBe(ecosystem('redis'));
  expect(ecosystem('db')).toMatch(/the memory store keeps them inside one process: run one instance with it/);
});
