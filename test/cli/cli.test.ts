import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { FLAGS } from '../../src/flags';
import { BIN, cleanEnv, cli, tempDir } from '../support/cli';
import { canMount, mountTmpfs } from '../support/tmpfs';

let cwd: string;
beforeEach(() => {
  cwd = tempDir();
});
afterEach(() => fs.rmSync(cwd, { recursive: true, force: true }));

const quick = ['--no-install', '--no-git'];
const list = (dir: string) => fs.readdirSync(dir).sort();

test('--help lists every flag with its default', () => {
  const { code, stdout } = cli(['--help']);
  expect(code).toBe(0);
  const help = stdout.replace(/\s+/g, ' ');
  for (const f of FLAGS) {
    expect(help).toContain(f.flags);
    if (f.shownDefault !== undefined) expect(help).toContain(`(default: ${f.shownDefault || 'empty'})`);
  }
  for (const flag of ['--yes', '--help', '--version']) expect(stdout).toContain(flag);
  for (const dflt of ['(default: sqlite)', '(default: 2; 1 with --session-store memory)', '(default: empty)', '(default: install)']) {
    expect(help).toContain(dflt);
  }
});

test('--version prints the package version', () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(cli(['--version']).stdout.trim()).toBe(version);
});

test('with --yes: writes the project, never prints the secret, ends with next steps', () => {
  const { code, stdout, stderr } = cli(['demo', '--yes', ...quick], { cwd });
  expect([code, stderr]).toEqual([0, '']);
  const dir = path.join(cwd, 'demo');
  expect(list(dir)).toEqual(
    expect.arrayContaining(['.env', '.env.example', '.gitignore', 'README.md', 'package.json', 'src', 'prisma', 'deploy', 'test']),
  );
  const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
  const secret = env.match(/^JWT_SECRET=(.+)$/m)![1];
  expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(48);
  expect(stdout).not.toContain(secret);
  expect(fs.statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
  expect(stdout).toMatch(/Created demo \(/);
  expect(stdout).toMatch(/Next steps:\n\s+cd demo\n\s+npm install\n\s+npm run db:generate/);
  expect(stdout).toContain('npm run dev:mock');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name).toBe('demo');
});

test('without a TTY, or with CI=true, it takes the defaults instead of asking', () => {
  expect(cli(['a', ...quick], { cwd }).code).toBe(0);
  expect(cli(['b', ...quick], { cwd, env: cleanEnv({ CI: 'true' }) }).code).toBe(0);
  expect(fs.readFileSync(path.join(cwd, 'a', 'prisma', 'schema', 'schema.prisma'), 'utf8')).toContain('provider = "sqlite"');
});

test('two runs give two different secrets', () => {
  cli(['a', '--yes', ...quick], { cwd });
  cli(['b', '--yes', ...quick], { cwd });
  const secret = (p: string) => fs.readFileSync(path.join(cwd, p, '.env'), 'utf8').match(/^JWT_SECRET=(.+)$/m)![1];
  expect(secret('a')).not.toBe(secret('b'));
});

test('flags choose the database, store and deployment', () => {
  const { code } = cli(
    [
      'shop',
      '--yes',
      ...quick,
      '--db',
      'postgresql',
      '--session-store',
      'redis',
      '--appid',
      'wx0123456789abcdef',
      '--domain',
      'api.shop.cn',
      '--port',
      '8080',
    ],
    { cwd },
  );
  expect(code).toBe(0);
  const dir = path.join(cwd, 'shop');
  expect(fs.readFileSync(path.join(dir, 'prisma', 'schema', 'schema.prisma'), 'utf8')).toContain('provider = "postgresql"');
  expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(/^WX_APPID=wx0123456789abcdef$/m);
  expect(fs.readFileSync(path.join(dir, 'deploy', 'nginx', 'sites', 'app.conf'), 'utf8')).toContain('server 127.0.0.1:8080');
  expect(fs.existsSync(path.join(dir, 'src', 'stores', 'redis-store.ts'))).toBe(true);
});

test('the package manager comes from npm_config_user_agent, or --pm, and the next steps use it', () => {
  const pnpm = cli(['a', '--yes', ...quick], {
    cwd,
    env: cleanEnv({ npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.19.0 linux x64' }),
  });
  expect(pnpm.stdout).toMatch(/pnpm install\n\s+pnpm db:generate/);
  expect(pnpm.stdout).toContain('pnpm dev:mock');
  const yarn = cli(['b', '--yes', ...quick, '--pm', 'yarn'], { cwd });
  expect(yarn.stdout).toContain('yarn dev:mock');
});

test.each([
  [['x', '--db', 'mongodb'], /Invalid --db "mongodb"/, /Choose one of: sqlite, postgresql, mysql/],
  [['x', '--session-store', 'file'], /Invalid --session-store "file"/, /db, redis, memory/],
  [['x', '--appid', 'wx1'], /Invalid --appid "wx1"/, undefined],
  [['x', '--port', '99999'], /Invalid --port "99999"/, /whole number/],
  [['x', '--port', '080'], /Invalid --port "080"/, /without leading zeros/],
  [['x', '--port', '443', '--instances', '1'], /port 443 is nginx's own/, /away from 80 and 443/],
  [['x', '--port', '79'], /ports 79-80\): port 80 is nginx's own/, /away from 80 and 443/],
  [
    ['x', '--session-store', 'memory', '--instances', '2'],
    /memory keeps sessions inside one process, so it cannot run 2 instances/,
    /--instances 1/,
  ],
  [
    ['x', '--target', 'cloudrun', '--db', 'sqlite'],
    /^✖ --target cloudrun cannot use --db sqlite: Cloud Run instances are stateless/,
    /--db mysql/,
  ],
  [['x', '--target', 'cloudrun', '--session-store', 'memory'], /cannot use --session-store memory/, /--session-store db or redis/],
  [['x', '--domain', 'https://api.shop.cn'], /Invalid --domain "https:\/\/api\.shop\.cn": give the host name alone/, undefined],
  [['x', '--domain', 'api.shop.cn/v1'], /Invalid --domain "api\.shop\.cn\/v1": give the host name alone/, undefined],
  [['x', '--domain', '203.0.113.7'], /must be host names, not IP addresses/, undefined],
  [['x', '--name', 'Bad Name'], /Invalid project name "Bad Name"/, undefined],
  [['..'], /Invalid project name "\.\."/, undefined],
  [['.hidden'], /Invalid project name "\.hidden"/, undefined],
  [
    ['My App'],
    /Invalid project name "My App"/,
    /folder name such as my-app, or keep this folder name and name the package with --name my-app\./,
  ],
  [['node_modules'], /Invalid project name "node_modules"/, undefined],
])('%j → exit 1, one red line and a hint, nothing written', (args, message, hint) => {
  const { code, stdout, stderr } = cli([...args, '--yes', ...quick], { cwd });
  expect(code).toBe(1);
  expect(stderr.split('\n')[0]).toMatch(message);
  if (hint) expect(stderr).toMatch(hint);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack for a user error
  expect(stdout).toBe('');
  expect(list(cwd)).toEqual([]);
});

test('no directory and nobody to ask → exit 1 with the usage hint', () => {
  const { code, stderr } = cli(['--yes'], { cwd });
  expect(code).toBe(1);
  expect(stderr).toMatch(/Missing project directory/);
});

test('an unknown flag → exit 1 and a pointer to --help', () => {
  const { code, stderr } = cli(['x', '--colour'], { cwd });
  expect(code).toBe(1);
  expect(stderr).toMatch(/unknown option '--colour'/);
  expect(stderr).toMatch(/--help/);
});

test('a folder holding a file: exit 1, the file is named, nothing is written, the file is untouched', () => {
  const dir = path.join(cwd, 'taken');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine\n');
  const { code, stderr } = cli(['taken', '--yes', ...quick], { cwd });
  expect(code).toBe(1);
  expect(stderr).toContain('notes.txt');
  expect(stderr).toMatch(/Nothing was written/);
  expect(list(dir)).toEqual(['notes.txt']);
  expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
});

const pkgName = (dir: string) => JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name;

test('"." scaffolds into the current (empty) folder, named after it, and the next steps say no "cd ."', () => {
  const dir = path.join(cwd, 'here-api');
  fs.mkdirSync(dir);
  const { code, stdout } = cli(['.', '--yes', ...quick], { cwd: dir });
  expect(code).toBe(0);
  expect(pkgName(dir)).toBe('here-api');
  expect(stdout).toMatch(/Next steps:\n\s+npm install\n/);
  expect(stdout).not.toMatch(/\bcd\b/);
});

test('a path argument (relative or absolute) makes that folder, named after its last segment', () => {
  const rel = cli(['apps/api', '--yes', ...quick], { cwd });
  expect(rel.code).toBe(0);
  expect(pkgName(path.join(cwd, 'apps', 'api'))).toBe('api');
  expect(rel.stdout).toMatch(/Next steps:\n\s+cd apps\/api\n/);
  const abs = path.join(cwd, 'srv', 'shop-api');
  const other = tempDir();
  try {
    const r = cli([abs, '--yes', ...quick], { cwd: other });
    expect(r.code).toBe(0);
    expect(pkgName(abs)).toBe('shop-api');
    expect(r.stdout).toContain(`cd ${abs}\n`); // outside the current folder: the absolute path
  } finally {
    fs.rmSync(other, { recursive: true, force: true });
  }
  expect(cli(['apps/Bad Name', '--yes', ...quick], { cwd }).stderr).toMatch(
    /The folder name "Bad Name" is not a valid package name.*\n.*--name bad-name/,
  );
});

test('"." in a folder whose name is no package name: refused without --name (nothing written), taken with it', () => {
  const dir = path.join(cwd, 'My API');
  fs.mkdirSync(dir);
  const refused = cli(['.', '--yes', ...quick], { cwd: dir });
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/^✖ The folder name "My API" is not a valid package name/);
  expect(refused.stderr).toContain('Pass a package name with --name, e.g. --name my-api.');
  expect(list(dir)).toEqual([]);
  const named = cli(['.', '--name', 'my-api', '--yes', ...quick], { cwd: dir });
  expect(named.code).toBe(0);
  expect(pkgName(dir)).toBe('my-api');
  expect(named.stdout).not.toMatch(/\bcd\b/);
});

test('"." in a folder whose name is no package name, on a terminal: asks for one, offering a valid one', () => {
  const dir = path.join(cwd, 'My API');
  fs.mkdirSync(dir);
  // Enter takes the suggested name
  const child = spawnSync(
    'sh',
    [
      '-c',
      `(sleep 2; printf '\\r'; sleep 2) | script -qec "${process.execPath} ${BIN} . --no-install --no-git --target vm --db sqlite --session-store db --appid '' --domain api.example.com --no-pay" /dev/null`,
    ],
    { cwd: dir, encoding: 'utf8', env: cleanEnv(), timeout: 30_000 },
  );
  expect(child.stdout).toContain("Package name (the folder's name is not a valid one)");
  expect(child.status).toBe(0);
  expect(pkgName(dir)).toBe('my-api');
});

test('"Created … in N s" counts the work, not the time spent answering questions', () => {
  // the project name is typed 3 s after the question appears
  const child = spawnSync(
    'sh',
    [
      '-c',
      `(sleep 3; printf 'timed\\r'; sleep 2) | script -qec "${process.execPath} ${BIN} --no-install --no-git --target vm --db sqlite --session-store db --appid '' --domain api.example.com --no-pay" /dev/null`,
    ],
    { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 30_000 },
  );
  expect(child.status).toBe(0);
  const took = Number(/Created timed .* in (\d+\.\d)s/.exec(child.stdout)?.[1]);
  expect(took).toBeLessThan(2);
});

test('--domain is lower-cased wherever it is used', () => {
  expect(cli(['shop', '--yes', ...quick, '--domain', 'API.Shop.CN'], { cwd }).code).toBe(0);
  const conf = fs.readFileSync(path.join(cwd, 'shop', 'deploy', 'nginx', 'sites', 'app.conf'), 'utf8');
  expect(conf).toContain('server_name api.shop.cn');
  expect(conf).not.toContain('API.Shop.CN');
});

test('--session-store memory runs one instance by default, and says so in --help', () => {
  expect(cli(['mem', '--yes', ...quick, '--session-store', 'memory'], { cwd }).code).toBe(0);
  const conf = fs.readFileSync(path.join(cwd, 'mem', 'deploy', 'nginx', 'sites', 'app.conf'), 'utf8');
  expect(conf).toContain('server 127.0.0.1:3000');
  expect(conf).not.toContain('server 127.0.0.1:3001');
  expect(cli(['--help']).stdout).toContain('1 with --session-store memory');
});

/** A folder of stand-in commands put first on PATH: `name` runs the given sh script. */
function fakeBin(scripts: Record<string, string>): string {
  const bin = path.join(cwd, '.bin');
  fs.mkdirSync(bin, { recursive: true });
  for (const [name, body] of Object.entries(scripts)) fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return bin;
}
const withPath = (bin: string, extra: Record<string, string> = {}) => cleanEnv({ PATH: `${bin}:${process.env.PATH}`, ...extra });
const gitIdentity = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };

test('--pm yarn on a Node the project does not support: refused in one line before anything is written', () => {
  const bin = fakeBin({ node: 'echo v20.20.2' }); // the Node the install would run on
  const { code, stdout, stderr } = cli(['demo', '--yes', '--no-git', '--pm', 'yarn'], { cwd, env: withPath(bin) });
  expect(code).toBe(1);
  expect(stderr.split('\n')[0]).toBe('✖ yarn cannot install this project on Node v20.20.2: it needs Node ^22.12 || ^24.0 (engines).');
  expect(stderr).toContain('--no-install');
  expect(stdout).toBe('');
  expect(list(cwd)).toEqual(['.bin']);
  // with npm it installs anyway, saying once that this Node is not supported
  const npm = cli(['demo', '--yes', '--no-git'], { cwd, env: withPath(fakeBin({ node: 'echo v20.20.2', npm: 'exit 0' })) });
  expect(npm.code).toBe(0);
  expect(npm.stdout).toContain('! Node v20.20.2 is not one the project supports (Node ^22.12 || ^24.0); npm installs it anyway.');
});

test('pnpm that exits 0 but ignored build scripts: the install step fails (✖, never ✔) and says why', () => {
  // pnpm 10's own words when a dependency's build script was skipped
  const warning = [
    '╭ Warning ─────────────────────────────────────────────────────────────────────╮',
    '│   Ignored build scripts: better-sqlite3@12.6.2, esbuild@0.28.2.              │',
    '│   Run "pnpm approve-builds" to pick which dependencies should be allowed     │',
    '│   to run scripts.                                                            │',
    '╰──────────────────────────────────────────────────────────────────────────────╯',
    'Done in 10.1s using pnpm v10.34.9',
  ].join('\n');
  const bin = fakeBin({ node: 'echo v22.23.3', pnpm: `cat <<'EOF'\n${warning}\nEOF\nexit 0` });
  const { code, stdout, stderr } = cli(['demo', '--yes', '--no-git', '--pm', 'pnpm'], { cwd, env: withPath(bin) });
  expect(code).toBe(1);
  expect(stdout).toMatch(/✖ Installing dependencies/);
  expect(stdout).not.toMatch(/✔ Installing dependencies/);
  expect(stderr).toContain('pnpm ignored the build scripts of better-sqlite3@12.6.2, esbuild@0.28.2, so the install is incomplete.');
  expect(stderr).toContain('allowBuilds in pnpm-workspace.yaml');
  expect(stdout).toMatch(/Next steps:\n\s+cd demo\n\s+pnpm install\n\s+pnpm db:generate/);
});

test('a permission error (read-only parent, unwritable target): one red line and a hint, no stack, exit 1', () => {
  // as an unprivileged user (the tests run as root, whom permissions do not stop)
  fs.chmodSync(cwd, 0o755);
  const nobody = { uid: 65534, gid: 65534 };
  const parent = cli(['api', '--yes', ...quick], { cwd, ...nobody });
  expect(parent.code).toBe(1);
  expect(parent.stderr).toBe(
    `✖ Cannot write the project to ${path.join(cwd, 'api')}: permission denied.\nNothing was written. Choose a folder you can write to, or fix its permissions and run again.\n`,
  );
  fs.mkdirSync(path.join(cwd, 'api'), { mode: 0o755 });
  const target = cli(['api', '--yes', ...quick], { cwd, ...nobody });
  expect(target.code).toBe(1);
  expect(target.stderr).toMatch(/^✖ Cannot write the project to .*\/api: permission denied at .*\/api\/\S+\.\nNothing was written/);
  expect(target.stderr).not.toMatch(/\n\s+at /);
  expect(list(path.join(cwd, 'api'))).toEqual([]);
});

test('Ctrl-C during the install: "Operation cancelled", the commands left (copy-pasteable), exit 130; running them finishes the job', async () => {
  const log = path.join(cwd, 'npm.log');
  const bin = fakeBin({ node: 'echo v22.23.3', npm: `echo "$$ $*" >> ${log}; exec sleep 30` });
  const child = spawn(process.execPath, [BIN, 'my-app', '--yes'], { cwd, env: withPath(bin, gitIdentity) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  while (!fs.existsSync(log)) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  expect(await exited).toBe(130);
  expect(stderr).toContain('✖ Operation cancelled');
  expect(stdout).toMatch(/✖ Installing dependencies \(\d+\.\ds\) \(cancelled\)/);
  // the interrupted install is stopped too
  const installPid = Number(fs.readFileSync(log, 'utf8').split(' ')[0]);
  expect(() => process.kill(installPid, 0)).toThrow();
  const finish = stdout
    .split('To finish, run:\n')[1]
    .split('\n')
    .map((l) => l.trim());
  expect(finish.slice(0, 7)).toEqual([
    'cd my-app',
    'npm install',
    'npm run db:generate',
    'git init --quiet',
    'git add --all',
    "git commit --quiet --no-verify -m 'Initial commit from create-wx-backend'",
    expect.stringMatching(/^npm run dev:mock/),
  ]);
  // rerun: the printed commands, pasted into a shell, continue where the CLI stopped
  fs.writeFileSync(path.join(bin, 'npm'), `#!/bin/sh\necho "$*" >> ${log}\n`, { mode: 0o755 });
  const pasted = spawnSync('sh', ['-ec', finish.slice(0, 6).join('\n')], { cwd, env: withPath(bin, gitIdentity), encoding: 'utf8' });
  expect(pasted.status).toBe(0);
  expect(fs.readFileSync(log, 'utf8').split('\n').slice(1, 3)).toEqual(['install', 'run db:generate']);
  const git = (...a: string[]) => spawnSync('git', a, { cwd: path.join(cwd, 'my-app'), encoding: 'utf8' }).stdout.trim();
  expect(git('log', '--format=%s')).toBe('Initial commit from create-wx-backend');
}, 30_000);

test('a failing step keeps the files, says what to run by hand, and exits 1', () => {
  // No package manager on PATH: the install step fails.
  const { code, stdout, stderr } = cli(['demo', '--yes', '--no-git'], { cwd, env: cleanEnv({ PATH: '/nonexistent' }) });
  expect(code).toBe(1);
  expect(stderr).toMatch(/npm install failed\. Your files are all there\./);
  expect(stdout).toMatch(/Next steps:\n\s+cd demo\n\s+npm install\n\s+npm run db:generate/);
  expect(fs.existsSync(path.join(cwd, 'demo', 'src', 'app.ts'))).toBe(true);
});

test('git: a repository with one commit holding every file but .env', () => {
  const { code } = cli(['demo', '--yes', '--no-install'], {
    cwd,
    env: cleanEnv({ GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' }),
  });
  expect(code).toBe(0);
  const git = (...a: string[]) => spawnSync('git', a, { cwd: path.join(cwd, 'demo'), encoding: 'utf8' }).stdout.trim();
  expect(git('rev-list', '--count', 'HEAD')).toBe('1');
  const tracked = git('ls-files').split('\n');
  expect(tracked).toContain('src/app.ts');
  expect(tracked).toContain('.env.example');
  expect(tracked).not.toContain('.env');
});

test('Ctrl-C at a prompt prints "Operation cancelled" and exits 130', () => {
  // `script` gives the CLI a real terminal; \x03, typed once the first question is up, is Ctrl-C.
  const child = spawnSync('sh', ['-c', `(sleep 1.5; printf '\\003') | script -qec "${process.execPath} ${BIN}" /dev/null`], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv(),
    timeout: 20_000,
  });
  expect(child.stdout).toContain('Project name');
  expect(child.stdout).toContain('Operation cancelled');
  expect(child.status).toBe(130);
  expect(list(cwd)).toEqual([]);
});

test('git without a user identity: the repository is made, the commit is left to the user, exit 0', () => {
  const home = tempDir('cwb-home-');
  try {
    const env = cleanEnv({
      HOME: home,
      XDG_CONFIG_HOME: home,
      GIT_CONFIG_NOSYSTEM: '1',
      EMAIL: undefined,
      GIT_AUTHOR_EMAIL: undefined,
      GIT_COMMITTER_EMAIL: undefined,
    });
    for (const k of ['EMAIL', 'GIT_AUTHOR_EMAIL', 'GIT_COMMITTER_EMAIL', 'GIT_AUTHOR_NAME', 'GIT_COMMITTER_NAME']) delete env[k];
    const { code, stdout } = cli(['demo', '--yes', '--no-install'], { cwd, env });
    expect(code).toBe(0);
    expect(stdout).toContain('no git user.email set, so no commit');
    expect(fs.existsSync(path.join(cwd, 'demo', '.git'))).toBe(true);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});

test('inside an existing git repository (a monorepo): no nested repository, and the CLI says so', () => {
  spawnSync('git', ['init', '--quiet'], { cwd });
  const { code, stdout } = cli(['pkg', '--yes', '--no-install'], { cwd });
  expect(code).toBe(0);
  expect(stdout).toContain('Inside an existing git repository: no git init, no commit.');
  expect(fs.existsSync(path.join(cwd, 'pkg', '.git'))).toBe(false);
});

(canMount ? test : test.skip)(
  'a full disk while writing (a 64 KB tmpfs): one red line naming the real error and the file, nothing left, so a rerun works (needs root to mount)',
  () => {
    const disk = mountTmpfs('64k');
    try {
      const full = cli(['api', '--yes', ...quick], { cwd: disk.dir });
      expect(full.code).toBe(1);
      expect(full.stderr).toMatch(
        /^✖ Cannot write the project to .*\/api: no space left on the device at .*\/api\/\S+\.\nNothing was written\. Free some space or choose another disk and run again\.\n$/,
      );
      expect(list(disk.dir)).toEqual([]);
      disk.resize('16m');
      expect(cli(['api', '--yes', ...quick], { cwd: disk.dir }).code).toBe(0);
    } finally {
      disk.unmount();
    }
  },
);

/** An npm that says what it does as npm does at loglevel info, slowly enough for the live line to show it. */
const slowNpm = [
  '[ "$1" = install ] || exit 0',
  '[ "$npm_config_loglevel" = info ] || exit 3',
  'echo "npm http fetch GET 200 https://registry.npmjs.org/@prisma%2fclient 35ms (cache miss)"',
  'sleep 1.5',
  'echo "npm info run better-sqlite3@12.6.2 install node_modules/better-sqlite3 prebuild-install || node-gyp rebuild"',
  'sleep 1.5',
].join('\n');

test('on a terminal, the install shows a live line: elapsed time and what npm is doing now', () => {
  const bin = fakeBin({ node: 'echo v22.23.3', npm: slowNpm });
  const child = spawnSync('script', ['-qec', `${process.execPath} ${BIN} demo --yes --no-git`, '/dev/null'], {
    cwd,
    encoding: 'utf8',
    env: withPath(bin),
    timeout: 30_000,
  });
  expect(child.status).toBe(0);
  const frames = child.stdout.split('\r');
  expect(frames).toContainEqual(expect.stringMatching(/Installing dependencies \d+s · fetching @prisma\/client/));
  expect(frames).toContainEqual(expect.stringMatching(/Installing dependencies \d+s · running the install script of better-sqlite3/));
  expect(child.stdout).toMatch(/✔ Installing dependencies \(\d+\.\ds\)/);
});

test('without a terminal (CI logs), the install says it starts and how it ended, with no live line', () => {
  const bin = fakeBin({ node: 'echo v22.23.3', npm: slowNpm });
  const { code, stdout } = cli(['demo', '--yes', '--no-git'], { cwd, env: withPath(bin) });
  expect(code).toBe(0);
  expect(stdout).toMatch(/^… Installing dependencies\n✔ Installing dependencies \(\d+\.\ds\)$/m);
  expect(stdout).not.toContain('\r');
  expect(stdout).not.toContain('fetching');
});

test('with --name, "Created …" names both the folder and the package when they differ', () => {
  const named = cli(['Bad_Name', '--name', 'bad-name', '--yes', ...quick], { cwd });
  expect(named.code).toBe(0);
  expect(named.stdout).toMatch(/^✔ Created folder Bad_Name, package bad-name \(/);
  expect(pkgName(path.join(cwd, 'Bad_Name'))).toBe('bad-name');
  expect(cli(['apps/api', '--yes', ...quick], { cwd }).stdout).toMatch(/^✔ Created folder apps\/api, package api \(/);
});

test('the next steps list every server domain the Mini Program console needs, on the chosen domain', () => {
  const { stdout } = cli(['shop', '--yes', ...quick, '--domain', 'api.shop.cn'], { cwd });
  const section = stdout.split('In the Mini Program console')[1];
  expect(section).toMatch(/^\s+request合法域名\s+https:\/\/api\.shop\.cn\s+# .*wx\.request/m);
  expect(section).toMatch(/^\s+uploadFile合法域名\s+https:\/\/api\.shop\.cn\s+# .*avatar.*wx\.uploadFile/m);
  expect(section).toMatch(/^\s+downloadFile合法域名\s+https:\/\/api\.shop\.cn\s+# .*wx\.downloadFile/m);
});

test('colours on a terminal only, and never with NO_COLOR', () => {
  const onTerminal = (env: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `${process.execPath} ${BIN} demo --yes --no-install --no-git`, '/dev/null'], {
      cwd,
      encoding: 'utf8',
      env,
      timeout: 30_000,
    }).stdout;
  const esc = '\x1b[';
  expect(onTerminal(cleanEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined }))).toContain(`${esc}32m✔${esc}39m Created ${esc}1mdemo`);
  fs.rmSync(path.join(cwd, 'demo'), { recursive: true });
  expect(onTerminal(cleanEnv({ NO_COLOR: '1' }))).not.toContain(esc);
  expect(cli(['piped', '--yes', ...quick], { cwd, env: cleanEnv({ NO_COLOR: undefined, FORCE_COLOR: undefined }) }).stdout).not.toContain(
    esc,
  );
});
