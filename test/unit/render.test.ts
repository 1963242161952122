import { DATABASES, SESSION_STORES, resolveOptions, type Database, type SessionStore } from '../../src/options';
import { outputPath, render } from '../../src/render';
import { templates } from '../support/templates';

const options = (db: Database, sessionStore: SessionStore, more: Record<string, string> = {}) =>
  resolveOptions({ projectName: 'demo', db, sessionStore, pm: 'npm', ...more });

const COMMON = [
  '.env.example', '.gitignore', 'README.md',
  'deploy/ecosystem.config.cjs', 'deploy/nginx/nginx.conf', 'deploy/nginx/sites/app.conf',
  'deploy/systemd/app@.service', 'deploy/systemd/nginx.service',
  'jest.config.js', 'package.json', 'prisma.config.ts',
  'prisma/migrations/20261124000000_init/migration.sql', 'prisma/migrations/migration_lock.toml', 'prisma/schema.prisma',
  'scripts/dev-mock.ts', 'scripts/self-signed-cert.sh',
  'src/app.ts', 'src/auth/guard.ts', 'src/auth/jwt-auth.ts', 'src/auth/memory-store.ts', 'src/auth/payload.ts',
  'src/auth/session-cache.ts', 'src/auth/session.ts', 'src/auth/state.ts', 'src/auth/tokens.ts',
  'src/bounded.ts', 'src/config.ts', 'src/controllers/auth.controller.ts', 'src/controllers/health.controller.ts',
  'src/controllers/wechat.controller.ts', 'src/db.ts', 'src/deps.ts', 'src/errors.ts', 'src/log.ts', 'src/request-log.ts', 'src/routes.ts',
  'src/body.ts', 'src/schemas.ts', 'src/shutdown.ts', 'src/server.ts', 'src/single-flight.ts', 'src/users.ts',
  'src/wechat/access-token.ts', 'src/wechat/client.ts', 'src/wechat/crypto.ts', 'src/wechat/errors.ts', 'src/wechat/http.ts',
  'test/auth.test.ts', 'test/config.test.ts', 'test/http-edges.test.ts', 'test/session.test.ts', 'test/support/database.ts',
  'test/support/fake-wechat.ts', 'test/support/global-setup.ts', 'test/support/test-app.ts',
  'test/tokens.test.ts', 'test/wechat-errors.test.ts',
  'tsconfig.build.json', 'tsconfig.json',
];
const PER_STORE: Record<SessionStore, string[]> = {
  db: ['src/auth/db-store.ts'],
  redis: ['src/auth/redis-store.ts', 'src/wechat/redis-token-cache.ts'],
  memory: [],
};
const ADAPTERS: Record<Database, string[]> = {
  sqlite: ['@prisma/adapter-better-sqlite3', 'better-sqlite3'],
  postgresql: ['@prisma/adapter-pg', 'pg'],
  mysql: ['@prisma/adapter-mariadb', 'mariadb'],
};

const MINIPROGRAM = [
  'miniprogram/app.js', 'miniprogram/app.json', 'miniprogram/app.wxss', 'miniprogram/config.js',
  'miniprogram/pages/index/index.js', 'miniprogram/pages/index/index.json', 'miniprogram/pages/index/index.wxml', 'miniprogram/pages/index/index.wxss',
  'miniprogram/pages/profile/profile.js', 'miniprogram/pages/profile/profile.json', 'miniprogram/pages/profile/profile.wxml', 'miniprogram/pages/profile/profile.wxss',
  'miniprogram/project.config.json', 'miniprogram/project.private.config.json', 'miniprogram/sitemap.json', 'miniprogram/utils/api.js',
  'test/miniprogram-client.test.ts', 'test/miniprogram-pages.test.ts', 'test/support/mini-program.ts', 'test/support/stub-server.ts', 'test/support/wx-sim.ts',
];

const PER_DATABASE: Record<Database, string[]> = { sqlite: [], postgresql: [], mysql: ['src/mariadb-config.ts'] };

const combos = DATABASES.flatMap((db) => SESSION_STORES.map((store) => [db, store] as [Database, SessionStore]));

describe.each(combos)('--db %s --session-store %s', (db, store) => {
  const files = render(options(db, store), templates);
  const pkg = JSON.parse(files.get('package.json')!);

  test('renders exactly the expected files, sorted', () => {
    expect([...files.keys()]).toEqual([...COMMON, ...PER_STORE[store], ...PER_DATABASE[db], ...MINIPROGRAM].sort());
  });

  test('package.json pins the driver of the chosen database, and Redis only when chosen', () => {
    const deps = Object.keys(pkg.dependencies);
    for (const [other, names] of Object.entries(ADAPTERS)) {
      for (const name of names) expect(deps.includes(name)).toBe(other === db);
    }
    expect(deps.includes('ioredis')).toBe(store === 'redis');
    for (const version of Object.values<string>({ ...pkg.dependencies, ...pkg.devDependencies })) expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.name).toBe('demo');
    expect(pkg.scripts).toMatchObject({ test: 'jest', dev: expect.any(String), 'dev:mock': expect.any(String) });
  });

  test('schema.prisma uses the provider; a Session model exists only for the db store', () => {
    const schema = files.get('prisma/schema.prisma')!;
    expect(schema).toMatch(new RegExp(`provider = "${db}"`));
    expect(schema.includes('model Session')).toBe(store === 'db');
    expect(files.get('prisma/migrations/migration_lock.toml')).toContain(`provider = "${db}"`);
    expect(files.get('prisma/migrations/20261124000000_init/migration.sql')!.includes('CREATE TABLE "Session"') ||
      files.get('prisma/migrations/20261124000000_init/migration.sql')!.includes('CREATE TABLE `Session`')).toBe(store === 'db');
  });

  test('.env.example names every setting and holds no secret', () => {
    const env = files.get('.env.example')!;
    const keys = [...env.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    const expected = ['NODE_ENV', 'WX_APPID', 'WX_SECRET', 'WX_API_BASE', 'WX_TIMEOUT_MS', 'JWT_SECRET', 'DATABASE_URL', 'SESSION_TTL', 'SESSION_CACHE_MS', 'LOG_REQUESTS', 'LOG_LEVEL', 'HOST', 'PORT', 'SHUTDOWN_TIMEOUT_MS'];
    expect(keys.sort()).toEqual([...expected, ...(store === 'redis' ? ['REDIS_URL'] : [])].sort());
    expect(env).toMatch(/^JWT_SECRET=$/m);
    expect(env).toMatch(/^WX_SECRET=$/m);
  });

  test('no template syntax is left in any file', () => {
    // WXML's own data binding is {{...}}: those files are copied, not rendered
    for (const [p, text] of files) if (!p.endsWith('.wxml')) expect([p, /\{\{[^}]*\}\}/.test(text)]).toEqual([p, false]);
  });
});

test('--no-miniprogram leaves out the Mini Program and its tests, and the README does not mention the folder', () => {
  const files = render(options('sqlite', 'db', { }), templates);
  const without = render(resolveOptions({ projectName: 'demo', pm: 'npm', miniprogram: false }), templates);
  expect([...files.keys()].filter((p) => !without.has(p)).sort()).toEqual([...MINIPROGRAM].sort());
  expect(without.get('README.md')).not.toContain('miniprogram/');
  expect(files.get('README.md')).toContain('miniprogram/utils/api.js');
});

test('render is pure: the same options give the same files', () => {
  expect(render(options('mysql', 'redis'), templates)).toEqual(render(options('mysql', 'redis'), templates));
});

test('--domain, --port, --instances and --appid reach nginx, PM2 and .env', () => {
  const files = render(options('sqlite', 'db', { domain: 'api.shop.cn', port: '4000', instances: '3', appid: 'wx0123456789abcdef' }), templates);
  const site = files.get('deploy/nginx/sites/app.conf')!;
  expect(site).toContain('server_name api.shop.cn;');
  expect(site.match(/server 127\.0\.0\.1:\d+/g)).toEqual(['server 127.0.0.1:4000', 'server 127.0.0.1:4001', 'server 127.0.0.1:4002']);
  expect(files.get('deploy/ecosystem.config.cjs')!.match(/PORT: '\d+'/g)).toEqual(["PORT: '4000'", "PORT: '4001'", "PORT: '4002'"]);
  expect(files.get('.env.example')).toMatch(/^WX_APPID=wx0123456789abcdef$/m);
  expect(files.get('.env.example')).toMatch(/^PORT=4000$/m);
});

test('dotfiles are stored with "_" and renamed; .hbs is dropped', () => {
  expect(outputPath('_gitignore')).toBe('.gitignore');
  expect(outputPath('_env.example.hbs')).toBe('.env.example');
  expect(outputPath('src/app.ts')).toBe('src/app.ts');
});

test('only the named dotfiles are renamed: __tests__ and _app.ts keep their names', () => {
  expect(outputPath('_github/workflows/ci.yml')).toBe('.github/workflows/ci.yml');
  expect(outputPath('src/__tests__/x.test.ts')).toBe('src/__tests__/x.test.ts');
  expect(outputPath('src/_app.ts')).toBe('src/_app.ts');
});

test('two templates writing one file is a bug, reported', () => {
  const clash = new Map([...templates, ['db-sqlite/src/app.ts', 'x']]);
  expect(() => render(options('sqlite', 'db'), clash)).toThrow(/Two templates write src\/app\.ts/);
});

test('the default project matches its snapshot', () => {
  expect(Object.fromEntries(render(options('sqlite', 'db'), templates))).toMatchSnapshot();
});
