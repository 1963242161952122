import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, cleanEnv, cli, tempDir } from '../support/cli';

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
  for (const flag of ['--db', '--session-store', '--appid', '--domain', '--port', '--instances', '--pm', '--no-install', '--no-git', '--yes', '--help', '--version']) {
    expect(stdout).toContain(flag);
  }
  for (const dflt of ['(default: sqlite)', '(default: db)', '(default: api.example.com)', '(default: 3000)', '(default: 2)', '(default: empty)', '(default: install)', '(default: git)']) {
    expect(stdout).toContain(dflt);
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
  expect(list(dir)).toEqual(expect.arrayContaining(['.env', '.env.example', '.gitignore', 'README.md', 'package.json', 'src', 'prisma', 'deploy', 'test']));
  const env = fs.readFileSync(path.join(dir, '.env'), 'utf8');
  const secret = env.match(/^JWT_SECRET=(.+)$/m)![1];
  expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(48);
  expect(stdout).not.toContain(secret);
  expect(fs.statSync(path.join(dir, '.env')).mode & 0o777).toBe(0o600);
  expect(stdout).toMatch(/Created demo/);
  expect(stdout).toMatch(/Next steps:\n\s+cd demo\n\s+npm install\n\s+npm run db:generate/);
  expect(stdout).toContain('npm run dev:mock');
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name).toBe('demo');
});

test('without a TTY, or with CI=true, it takes the defaults instead of asking', () => {
  expect(cli(['a', ...quick], { cwd }).code).toBe(0);
  expect(cli(['b', ...quick], { cwd, env: cleanEnv({ CI: 'true' }) }).code).toBe(0);
  expect(fs.readFileSync(path.join(cwd, 'a', 'prisma', 'schema.prisma'), 'utf8')).toContain('provider = "sqlite"');
});

test('two runs give two different secrets', () => {
  cli(['a', '--yes', ...quick], { cwd });
  cli(['b', '--yes', ...quick], { cwd });
  const secret = (p: string) => fs.readFileSync(path.join(cwd, p, '.env'), 'utf8').match(/^JWT_SECRET=(.+)$/m)![1];
  expect(secret('a')).not.toBe(secret('b'));
});

test('flags choose the database, store and deployment', () => {
  const { code } = cli(['shop', '--yes', ...quick, '--db', 'postgresql', '--session-store', 'redis', '--appid', 'wx0123456789abcdef', '--domain', 'api.shop.cn', '--port', '8080'], { cwd });
  expect(code).toBe(0);
  const dir = path.join(cwd, 'shop');
  expect(fs.readFileSync(path.join(dir, 'prisma', 'schema.prisma'), 'utf8')).toContain('provider = "postgresql"');
  expect(fs.readFileSync(path.join(dir, '.env'), 'utf8')).toMatch(/^WX_APPID=wx0123456789abcdef$/m);
  expect(fs.readFileSync(path.join(dir, 'deploy', 'nginx', 'sites', 'app.conf'), 'utf8')).toContain('server 127.0.0.1:8080');
  expect(fs.existsSync(path.join(dir, 'src', 'auth', 'redis-store.ts'))).toBe(true);
});

test('the package manager comes from npm_config_user_agent, or --pm, and the next steps use it', () => {
  const pnpm = cli(['a', '--yes', ...quick], { cwd, env: cleanEnv({ npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.19.0 linux x64' }) });
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
  [['../evil'], /Invalid project name "\.\.\/evil"/, /lower-case letters/],
  [['..'], /Invalid project name "\.\."/, undefined],
  [['.hidden'], /Invalid project name "\.hidden"/, undefined],
  [['My App'], /Invalid project name "My App"/, undefined],
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

test('"." scaffolds into the current (empty) folder, named after it', () => {
  const dir = path.join(cwd, 'here-api');
  fs.mkdirSync(dir);
  expect(cli(['.', '--yes', ...quick], { cwd: dir }).code).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).name).toBe('here-api');
});

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
  const child = spawnSync('sh', ['-c', `(sleep 1.5; printf '\\003') | script -qec "${process.execPath} ${BIN}" /dev/null`], { cwd, encoding: 'utf8', env: cleanEnv(), timeout: 20_000 });
  expect(child.stdout).toContain('Project name');
  expect(child.stdout).toContain('Operation cancelled');
  expect(child.status).toBe(130);
  expect(list(cwd)).toEqual([]);
});

test('git without a user identity: the repository is made, the commit is left to the user, exit 0', () => {
  const home = tempDir('cwb-home-');
  try {
    const env = cleanEnv({ HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: '1', EMAIL: undefined, GIT_AUTHOR_EMAIL: undefined, GIT_COMMITTER_EMAIL: undefined });
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
