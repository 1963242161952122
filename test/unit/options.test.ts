import { UserError } from '../../src/errors';
import { DEFAULTS, detectPackageManager, resolveOptions, resolveTarget } from '../../src/options';
import { NODE_ENGINES, nodeSupported } from '../../src/project-rules';

const base = { projectName: 'demo', pm: 'npm' };

test('defaults: SQLite, sessions in the database, port 3000, two instances, install and git', () => {
  expect(resolveOptions(base)).toEqual({
    projectName: 'demo',
    db: 'sqlite',
    sessionStore: 'db',
    appid: '',
    domain: 'api.example.com',
    port: 3000,
    instances: 2,
    pm: 'npm',
    install: true,
    git: true,
    miniprogram: true,
    pay: false,
    target: 'vm',
  });
  expect(DEFAULTS.db).toBe('sqlite');
});

test('every flag is taken', () => {
  const o = resolveOptions({
    projectName: 'shop-api',
    db: 'postgresql',
    sessionStore: 'redis',
    appid: 'wx0123456789abcdef',
    domain: 'api.shop.cn',
    port: '8080',
    instances: '4',
    pm: 'pnpm',
    install: false,
    git: false,
    miniprogram: false,
    pay: true,
    target: 'cloudrun',
  });
  expect(o).toEqual({
    projectName: 'shop-api',
    db: 'postgresql',
    sessionStore: 'redis',
    appid: 'wx0123456789abcdef',
    domain: 'api.shop.cn',
    port: 8080,
    instances: 4,
    pm: 'pnpm',
    install: false,
    git: false,
    miniprogram: false,
    pay: true,
    target: 'cloudrun',
  });
});

test.each([
  [{ db: 'mongodb' }, /Invalid --db "mongodb"/, /^Choose one of: sqlite, postgresql, mysql\.$/],
  [{ db: 'postgres' }, /Invalid --db "postgres"/, /^Did you mean postgresql\? Choose one of: sqlite, postgresql, mysql\.$/],
  [{ db: 'PostgreSQL' }, /Invalid --db "PostgreSQL"/, /^Did you mean postgresql\?/],
  [{ db: 'sqllite' }, /Invalid --db "sqllite"/, /^Did you mean sqlite\?/],
  [{ sessionStore: 'redis7' }, /Invalid --session-store "redis7"/, /^Did you mean redis\?/],
  [{ pm: 'pnmp' }, /Invalid --pm "pnmp"/, /^Did you mean pnpm\?/],
  [{ sessionStore: 'cookie' }, /Invalid --session-store "cookie"/, /db, redis, memory/],
  [{ target: 'k8s' }, /Invalid --target "k8s"/, /vm, cloudrun/],
  [{ target: 'cloudrun', db: 'sqlite' }, /^--target cloudrun cannot use --db sqlite: Cloud Run instances are stateless/, /--db mysql/],
  [{ target: 'cloudrun', sessionStore: 'memory' }, /^--target cloudrun cannot use --session-store memory/, /--session-store db or redis/],
  [{ appid: 'wx123' }, /Invalid --appid "wx123": an AppID is "wx" followed by 16 hex digits/, undefined],
  [{ appid: 'WX0123456789ABCDEF' }, /Invalid --appid/, undefined],
  [{ domain: 'localhost' }, /Invalid --domain "localhost"/, undefined],
  [{ domain: 'https://api.example.com' }, /give the host name alone, without "https:\/\/"/, undefined],
  [{ domain: 'api.example.com/v1' }, /without a port or path/, undefined],
  [{ domain: 'api.example.com:8443' }, /without a port or path/, undefined],
  [{ domain: '203.0.113.7' }, /not IP addresses/, undefined],
  [{ domain: '[::1]' }, /not IP addresses/, undefined],
  [{ domain: 'a..b' }, /Invalid --domain/, undefined],
  [{ port: '0' }, /Invalid --port "0"/, /from 1 to/],
  [{ port: '70000' }, /Invalid --port "70000"/, undefined],
  [{ port: '80a' }, /Invalid --port "80a"/, undefined],
  [{ port: '080' }, /Invalid --port "080"/, /without leading zeros/],
  [{ port: '80', instances: '1' }, /port 80 is nginx's own/, /away from 80 and 443/],
  [{ port: '442', instances: '2' }, /ports 442-443\): port 443 is nginx's own/, undefined],
  [{ port: '70', instances: '16' }, /port 80 is nginx's own/, undefined],
  [{ sessionStore: 'memory', instances: '2' }, /cannot run 2 instances/, /--instances 1/],
  [{ instances: '0' }, /Invalid --instances "0"/, /from 1 to 16/],
  [{ pm: 'bun' }, /Invalid --pm "bun"/, /npm, pnpm, yarn/],
])('%j → a clear error', (change, message, hint) => {
  let err: unknown;
  try {
    resolveOptions({ ...base, ...change });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).message).toMatch(message);
  if (hint) expect((err as UserError).hint).toMatch(hint);
});

test.each(['..', '.hidden', 'My App', 'node_modules', '', 'UPPER', 'favicon.ico'])('project name %j is refused with one line', (name) => {
  expect(() => resolveTarget(name, '/tmp')).toThrow(UserError);
  expect(() => resolveTarget(name, '/tmp')).toThrow(/^Invalid project name/);
});

test('a valid name becomes a folder in the current directory; "." means the current directory', () => {
  expect(resolveTarget('my-app', '/tmp/x')).toEqual({ targetDir: '/tmp/x/my-app', projectName: 'my-app' });
  expect(resolveTarget('.', '/tmp/x/shop_api')).toEqual({ targetDir: '/tmp/x/shop_api', projectName: 'shop_api' });
});

test('a path is taken as given; the package is named after its last segment, or --name', () => {
  expect(resolveTarget('apps/api', '/tmp/x')).toEqual({ targetDir: '/tmp/x/apps/api', projectName: 'api' });
  expect(resolveTarget('/srv/shop-api', '/tmp/x')).toEqual({ targetDir: '/srv/shop-api', projectName: 'shop-api' });
  expect(resolveTarget('../sibling', '/tmp/x')).toEqual({ targetDir: '/tmp/sibling', projectName: 'sibling' });
  // a last segment that is no package name: no name yet (the CLI asks, or refuses without a terminal)
  expect(resolveTarget('.', '/tmp/My API')).toEqual({ targetDir: '/tmp/My API', projectName: undefined });
  expect(resolveTarget('apps/Api', '/tmp/x')).toEqual({ targetDir: '/tmp/x/apps/Api', projectName: undefined });
  expect(resolveTarget('.', '/tmp/My API', 'my-api')).toEqual({ targetDir: '/tmp/My API', projectName: 'my-api' });
  expect(resolveTarget('web', '/tmp/x', 'shop-web')).toEqual({ targetDir: '/tmp/x/web', projectName: 'shop-web' });
  expect(() => resolveTarget('.', '/tmp/My API', 'My API')).toThrow(/^Invalid project name "My API"/);
});

test('--domain is lower-cased; ports next to 80/443 are fine; memory sessions default to one instance', () => {
  expect(resolveOptions({ ...base, domain: 'API.Shop.CN' }).domain).toBe('api.shop.cn');
  expect(resolveOptions({ ...base, port: '81', instances: '16' }).port).toBe(81);
  expect(resolveOptions({ ...base, port: '78', instances: '2' }).instances).toBe(2);
  expect(resolveOptions({ ...base, port: '444' }).port).toBe(444);
  expect(resolveOptions({ ...base, sessionStore: 'memory' }).instances).toBe(1);
  expect(resolveOptions({ ...base, sessionStore: 'memory', instances: '1' }).instances).toBe(1);
});

test('the generated project supports Node 22.12+ and 24 (what CI installs and tests), not 20', () => {
  expect(NODE_ENGINES).toBe('^22.12 || ^24.0');
  for (const v of ['v22.12.0', 'v22.23.3', 'v24.0.0', 'v24.21.0']) expect(nodeSupported(v)).toBe(true);
  for (const v of ['v20.20.2', 'v22.11.0', 'v23.5.0', 'v25.0.0', 'v26.12.1', 'garbage']) expect(nodeSupported(v)).toBe(false);
});

test('the package manager is detected from npm_config_user_agent', () => {
  expect(detectPackageManager('pnpm/9.1.0 npm/? node/v20.19.0 linux x64')).toBe('pnpm');
  expect(detectPackageManager('yarn/1.22.22 npm/? node/v20')).toBe('yarn');
  expect(detectPackageManager('npm/11.0.0 node/v20')).toBe('npm');
  expect(detectPackageManager('bun/1.1')).toBe('npm');
  expect(detectPackageManager('')).toBe('npm');
});

test("--target cloudrun (微信云托管): MySQL, Cloud Run's own database, unless --db says otherwise", () => {
  expect(resolveOptions({ ...base, target: 'cloudrun' })).toMatchObject({ target: 'cloudrun', db: 'mysql', sessionStore: 'db' });
  expect(resolveOptions({ ...base, target: 'cloudrun', db: 'postgresql', sessionStore: 'redis' })).toMatchObject({
    db: 'postgresql',
    sessionStore: 'redis',
  });
  expect(resolveOptions({ ...base, target: 'vm' }).db).toBe('sqlite');
});
