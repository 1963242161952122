import { UserError } from '../../src/errors';
import { DEFAULTS, detectPackageManager, resolveOptions, resolveTarget } from '../../src/options';

const base = { projectName: 'demo', pm: 'npm' };

test('defaults: SQLite, sessions in the database, port 3000, two instances, install and git', () => {
  expect(resolveOptions(base)).toEqual({
    projectName: 'demo', db: 'sqlite', sessionStore: 'db', appid: '', domain: 'api.example.com',
    port: 3000, instances: 2, pm: 'npm', install: true, git: true, miniprogram: true,
  });
  expect(DEFAULTS.db).toBe('sqlite');
});

test('every flag is taken', () => {
  const o = resolveOptions({
    projectName: 'shop-api', db: 'postgresql', sessionStore: 'redis', appid: 'wx0123456789abcdef',
    domain: 'api.shop.cn', port: '8080', instances: '4', pm: 'pnpm', install: false, git: false, miniprogram: false,
  });
  expect(o).toEqual({
    projectName: 'shop-api', db: 'postgresql', sessionStore: 'redis', appid: 'wx0123456789abcdef',
    domain: 'api.shop.cn', port: 8080, instances: 4, pm: 'pnpm', install: false, git: false, miniprogram: false,
  });
});

test.each([
  [{ db: 'mongodb' }, /Invalid --db "mongodb"/, /sqlite, postgresql, mysql/],
  [{ sessionStore: 'cookie' }, /Invalid --session-store "cookie"/, /db, redis, memory/],
  [{ appid: 'wx123' }, /Invalid --appid "wx123": an AppID is "wx" followed by 16 hex digits/, undefined],
  [{ appid: 'WX0123456789ABCDEF' }, /Invalid --appid/, undefined],
  [{ domain: 'localhost' }, /Invalid --domain "localhost"/, undefined],
  [{ domain: 'Api.Example.com' }, /Invalid --domain/, undefined],
  [{ domain: 'a..b' }, /Invalid --domain/, undefined],
  [{ port: '0' }, /Invalid --port "0"/, /from 1 to/],
  [{ port: '70000' }, /Invalid --port "70000"/, undefined],
  [{ port: '80a' }, /Invalid --port "80a"/, undefined],
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

test.each(['..', '../evil', '.hidden', 'My App', 'node_modules', 'a/b', '@scope/x', '', 'UPPER', 'favicon.ico'])(
  'project name %j is refused with one line',
  (name) => {
    expect(() => resolveTarget(name, '/tmp')).toThrow(UserError);
    expect(() => resolveTarget(name, '/tmp')).toThrow(/^Invalid project name/);
  },
);

test('a valid name becomes a folder in the current directory; "." means the current directory', () => {
  expect(resolveTarget('my-app', '/tmp/x')).toEqual({ targetDir: '/tmp/x/my-app', projectName: 'my-app' });
  expect(resolveTarget('.', '/tmp/x/shop_api')).toEqual({ targetDir: '/tmp/x/shop_api', projectName: 'shop_api' });
});

test('the package manager is detected from npm_config_user_agent', () => {
  expect(detectPackageManager('pnpm/9.1.0 npm/? node/v20.19.0 linux x64')).toBe('pnpm');
  expect(detectPackageManager('yarn/1.22.22 npm/? node/v20')).toBe('yarn');
  expect(detectPackageManager('npm/11.0.0 node/v20')).toBe('npm');
  expect(detectPackageManager('bun/1.1')).toBe('npm');
  expect(detectPackageManager('')).toBe('npm');
});
