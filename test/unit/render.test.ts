import path from 'node:path';
import Handlebars from 'handlebars';
import { DATABASES, SESSION_STORES, resolveOptions, type Database, type SessionStore } from '../../src/options';
import { outputPath, render, type FileMap } from '../../src/render';
import { templates } from '../support/templates';

const options = (db: Database, sessionStore: SessionStore, more: Record<string, string> = {}) =>
  resolveOptions({ projectName: 'demo', db, sessionStore, pm: 'npm', ...more });

const COMMON = [
  '.env.example',
  '.github/workflows/ci.yml',
  '.gitignore',
  '.prettierignore',
  '.prettierrc',
  'README.md',
  'README.zh-CN.md',
  'eslint.config.mjs',
  'deploy/ecosystem.config.cjs',
  'deploy/nginx/nginx.conf',
  'deploy/nginx/sites/app.conf',
  'deploy/systemd/app@.service',
  'deploy/systemd/nginx.service',
  'jest.config.js',
  'package.json',
  'prisma.config.ts',
  'prisma/migrations/20261124000000_init/migration.sql',
  'prisma/migrations/20261126100000_profile/migration.sql',
  'prisma/migrations/20261126110000_session_devices/migration.sql',
  'prisma/migrations/migration_lock.toml',
  'prisma/schema/media.prisma',
  'prisma/schema/push.prisma',
  'prisma/schema/schema.prisma',
  'prisma/schema/user.prisma',
  'scripts/dev-mock.ts',
  'scripts/fake-wechat.ts',
  'scripts/migrations.ts',
  'scripts/openapi.ts',
  'scripts/self-signed-cert.sh',
  'src/app.ts',
  'src/platform/env.ts',
  'src/auth/auth.routes.ts',
  'src/auth/auth.schemas.ts',
  'src/auth/decrypt.routes.ts',
  'src/auth/logins.ts',
  'src/health/health.routes.ts',
  'src/health/readiness.ts',
  'src/media/media.routes.ts',
  'src/openapi-info.ts',
  'src/platform/openapi.ts',
  'src/platform/route.ts',
  'src/push/push-receiver.ts',
  'src/push/push.routes.ts',
  'src/push/push.schemas.ts',
  'src/users/profiles.ts',
  'src/users/users.routes.ts',
  'src/users/users.schemas.ts',
  'src/wechat/code.ts',
  'scripts/routes.ts',
  'src/auth/device.ts',
  'src/auth/guard.ts',
  'src/auth/jwt-auth.ts',
  'src/auth/login-limits.ts',
  'src/auth/payload.ts',
  'src/auth/session-cache.ts',
  'src/auth/session.ts',
  'src/auth/state.ts',
  'src/auth/tokens.ts',
  'src/config.ts',
  'src/deps.ts',
  'src/platform/errors.ts',
  'src/platform/forwarded.ts',
  'src/platform/log.ts',
  'src/media/avatars.ts',
  'src/media/image-type.ts',
  'src/media/multipart.ts',
  'src/media/storage.ts',
  'src/users/phone.ts',
  'src/push/push-events.ts',
  'src/platform/request-log.ts',
  'src/routes.ts',
  'src/platform/body.ts',
  'src/platform/shutdown.ts',
  'src/server.ts',
  'src/stores/stores.ts',
  'src/platform/single-flight.ts',
  'src/users/users.ts',
  'src/platform/warm-up.ts',
  'src/wechat/access-token.ts',
  'src/wechat/client.ts',
  'src/wechat/content-security.ts',
  'src/wechat/crypto.ts',
  'src/wechat/errors.ts',
  'src/wechat/http.ts',
  'src/wechat/push-crypto.ts',
  'src/wechat/session-key-check.ts',
  'test/architecture.test.ts',
  'test/auth.test.ts',
  'test/config.test.ts',
  'test/error-causes.test.ts',
  'test/http-edges.test.ts',
  'test/openapi.test.ts',
  'test/phone.test.ts',
  'test/profile.test.ts',
  'test/push-crypto.test.ts',
  'test/push.test.ts',
  'test/session.test.ts',
  'test/session-key.test.ts',
  'test/rate-limit.test.ts',
  'test/revocation.test.ts',
  'test/sessions.test.ts',
  'test/shutdown.test.ts',
  'test/warm-up.test.ts',
  'test/support/database.ts',
  'test/support/global-setup.ts',
  'test/support/global-teardown.ts',
  'test/support/test-app.ts',
  'test/tokens.test.ts',
  'test/wechat-errors.test.ts',
  'tsconfig.build.json',
  'tsconfig.json',
];
/** What each store overlay owns: its store, its one `createStore` factory, and its test stand-in. */
const PER_STORE: Record<SessionStore, string[]> = {
  db: [
    'prisma/schema/session.prisma',
    'src/stores/db-store.ts',
    'src/stores/settings.ts',
    'src/stores/store.ts',
    'test/support/unreachable-store.ts',
  ],
  redis: [
    'src/stores/redis-session-events.ts',
    'src/stores/redis-store.ts',
    'src/stores/settings.ts',
    'src/stores/store.ts',
    'src/stores/redis-token-cache.ts',
    'test/redis-sessions.test.ts',
    'test/redis-start.test.ts',
    'test/support/unreachable-store.ts',
  ],
  memory: ['src/stores/memory-store.ts', 'src/stores/settings.ts', 'src/stores/store.ts', 'test/support/unreachable-store.ts'],
};
const ADAPTERS: Record<Database, string[]> = {
  sqlite: ['@prisma/adapter-better-sqlite3', 'better-sqlite3'],
  postgresql: ['@prisma/adapter-pg', 'pg'],
  mysql: ['@prisma/adapter-mariadb', 'mariadb'],
};

/** What each database overlay owns: its Prisma client, its reset (tests and dev:mock), its dead database. */
const DB_OWNED = ['scripts/reset-database.ts', 'src/db.ts', 'test/support/dead-database.ts'];
const PER_DATABASE: Record<Database, string[]> = {
  sqlite: [...DB_OWNED, 'src/sqlite-file.ts', 'test/sqlite.test.ts'],
  postgresql: DB_OWNED,
  mysql: [...DB_OWNED, 'src/mariadb-config.ts'],
};
const MINIPROGRAM = [
  'miniprogram/app.js',
  'miniprogram/app.json',
  'miniprogram/app.wxss',
  'miniprogram/config.js',
  'miniprogram/pages/index/index.js',
  'miniprogram/pages/index/index.json',
  'miniprogram/pages/index/index.wxml',
  'miniprogram/pages/index/index.wxss',
  'miniprogram/pages/profile/profile.js',
  'miniprogram/pages/profile/profile.json',
  'miniprogram/pages/profile/profile.wxml',
  'miniprogram/pages/profile/profile.wxss',
  'miniprogram/project.config.json',
  'miniprogram/project.private.config.json',
  'miniprogram/sitemap.json',
  'miniprogram/utils/api.js',
  'test/miniprogram-client.test.ts',
  'test/miniprogram-pages.test.ts',
  'test/support/mini-program.ts',
  'test/support/stub-server.ts',
  'test/support/wx-sim.ts',
];
const DRIVERS: Record<Database, string> = { sqlite: 'better-sqlite3', postgresql: 'pg', mysql: 'mariadb' };

/** The module names a TypeScript file imports or re-exports. */
function imports(source: string): string[] {
  return [...source.matchAll(/^(?:import|export)\b[^;]*?\sfrom '([^']+)';/gms)].map((m) => m[1]);
}
const tsFiles = (files: FileMap) => [...files].filter(([p]) => p.endsWith('.ts'));

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
    for (const version of Object.values<string>({ ...pkg.dependencies, ...pkg.devDependencies }))
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.name).toBe('demo');
    expect(pkg.scripts).toMatchObject({ test: 'jest', dev: expect.any(String), 'dev:mock': expect.any(String) });
    // a shell pipe would report the last command's exit code: a dev:mock that failed would say it succeeded
    expect(Object.values<string>(pkg.scripts).filter((script) => script.includes('|'))).toEqual([]);
  });

  test('every relative import lands on a rendered file: the overlays fit together', () => {
    for (const [file, source] of tsFiles(files)) {
      for (const spec of imports(source).filter((s) => s.startsWith('.') && !s.includes('/generated/prisma/'))) {
        const target = path.posix.join(path.posix.dirname(file), spec);
        expect([file, spec, files.has(`${target}.ts`)]).toEqual([file, spec, true]);
      }
    }
  });

  test('every package imported is pinned; the app (src/) uses dependencies only, never dev tooling or tests', () => {
    const packageOf = (spec: string) =>
      spec
        .split('/')
        .slice(0, spec.startsWith('@') ? 2 : 1)
        .join('/');
    for (const [file, source] of tsFiles(files)) {
      const allowed = { ...pkg.dependencies, ...(file.startsWith('src/') ? {} : pkg.devDependencies) };
      for (const spec of imports(source)) {
        if (spec.startsWith('node:')) continue;
        if (spec.startsWith('.')) {
          const target = path.posix.join(path.posix.dirname(file), spec);
          if (file.startsWith('src/')) expect([file, spec, target.startsWith('src/')]).toEqual([file, spec, true]);
          if (file.startsWith('scripts/')) expect([file, spec, target.startsWith('test/')]).toEqual([file, spec, false]);
          continue;
        }
        expect([file, spec, packageOf(spec) in allowed]).toEqual([file, spec, true]);
      }
    }
    expect(JSON.parse(files.get('tsconfig.build.json')!).include).toEqual(['src']); // scripts/ stays out of the build
  });

  test('the database overlay talks to the chosen database only; the store overlay exports one createStore', () => {
    const talksTo = (file: string) => imports(files.get(file)!).filter((s) => !s.startsWith('.') && !s.startsWith('node:'));
    expect(talksTo('src/db.ts')).toEqual([ADAPTERS[db][0]]);
    expect(talksTo('scripts/reset-database.ts')).toEqual([DRIVERS[db]]);
    expect(files.get('src/stores/store.ts')!.match(/^export [\w ]+/gm)).toEqual(['export async function createStore']);
    expect(talksTo('src/stores/store.ts')).toEqual(store === 'redis' ? ['ioredis', 'rate-limiter-flexible'] : []);
  });

  test('the schema (prisma/schema/) uses the provider; a Session model exists only for the db store', () => {
    const schema = files.get('prisma/schema/schema.prisma')!;
    expect(schema).toMatch(new RegExp(`provider = "${db}"`));
    expect(schema).toMatch(/^\s*compilerBuild\s*= "small"$/m);
    const models = [...files]
      .filter(([name]) => name.startsWith('prisma/schema/'))
      .map(([, text]) => text)
      .join('\n');
    expect(models.includes('model Session')).toBe(store === 'db');
    expect(models.includes('Session[]')).toBe(store === 'db'); // the relation's other side, on User
    expect(files.get('prisma/migrations/migration_lock.toml')).toContain(`provider = "${db}"`);
    expect(
      files.get('prisma/migrations/20261124000000_init/migration.sql')!.includes('CREATE TABLE "Session"') ||
        files.get('prisma/migrations/20261124000000_init/migration.sql')!.includes('CREATE TABLE `Session`'),
    ).toBe(store === 'db');
    // the sessions' columns change only where the Session table exists
    expect(files.get('prisma/migrations/20261126110000_session_devices/migration.sql')!.includes('maxExpiresAt')).toBe(store === 'db');
  });

  test('.env.example names every setting and holds no secret', () => {
    const env = files.get('.env.example')!;
    const keys = [...env.matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    const expected = [
      'NODE_ENV',
      'WX_APPID',
      'WX_SECRET',
      'WX_API_BASE',
      'WX_TIMEOUT_MS',
      'JWT_SECRET',
      'DATABASE_URL',
      'SESSION_TTL',
      'SESSION_MAX_AGE',
      'SESSION_TOUCH_INTERVAL',
      'SESSIONS_PER_USER',
      'SESSION_CACHE_MS',
      'LOGIN_RATE_PER_IP',
      'LOGIN_RATE_PER_OPENID',
      'LOGIN_RATE_WINDOW_S',
      'LOG_REQUESTS',
      'LOG_LEVEL',
      'HOST',
      'PORT',
      'OPENAPI_PUBLIC',
      'SHUTDOWN_TIMEOUT_MS',
      'PUBLIC_BASE_URL',
      'UPLOAD_DIR',
      'WX_PUSH_TOKEN',
      'WX_PUSH_AES_KEY',
      'PHONE_REVERIFY_DAYS',
      'PHONE_DAILY_LIMIT',
    ];
    expect(keys.sort()).toEqual([...expected, ...(store === 'redis' ? ['REDIS_URL'] : [])].sort());
    expect(env).toMatch(/^JWT_SECRET=$/m);
    expect(env).toMatch(/^WX_SECRET=$/m);
    expect(env).toMatch(/^WX_PUSH_TOKEN=$/m);
    expect(env).toMatch(/^WX_PUSH_AES_KEY=$/m);
  });

  test('no template syntax is left in any file', () => {
    // WXML's own data binding is {{...}}: those files are copied, not rendered
    // (and GitHub's own `${{ expression }}` in the workflow)
    for (const [p, text] of files) if (!p.endsWith('.wxml')) expect([p, /(?<!\$)\{\{[^}]*\}\}/.test(text)]).toEqual([p, false]);
  });
});

test('--no-miniprogram leaves out the Mini Program and its tests, and the README does not mention the folder', () => {
  const files = render(options('sqlite', 'db'), templates);
  const without = render(resolveOptions({ projectName: 'demo', pm: 'npm', miniprogram: false }), templates);
  expect([...files.keys()].filter((p) => !without.has(p)).sort()).toEqual([...MINIPROGRAM].sort());
  expect(without.get('README.md')).not.toContain('miniprogram/');
  expect(files.get('README.md')).toContain('miniprogram/utils/api.js');
});

test('--pm pnpm adds pnpm-workspace.yaml, which lets better-sqlite3 build; other managers do not get it', () => {
  const pnpm = render(resolveOptions({ projectName: 'demo', pm: 'pnpm' }), templates);
  expect(pnpm.get('pnpm-workspace.yaml')).toMatch(/^allowBuilds:\n {2}better-sqlite3: true$/m);
  for (const pm of ['npm', 'yarn'])
    expect(render(resolveOptions({ projectName: 'demo', pm }), templates).has('pnpm-workspace.yaml')).toBe(false);
});

test('render is pure: the same options give the same files', () => {
  expect(render(options('mysql', 'redis'), templates)).toEqual(render(options('mysql', 'redis'), templates));
});

test('--domain, --port, --instances and --appid reach nginx, PM2 and .env', () => {
  const files = render(
    options('sqlite', 'db', { domain: 'api.shop.cn', port: '4000', instances: '3', appid: 'wx0123456789abcdef' }),
    templates,
  );
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

/**
 * An option's alternatives live in its overlays, whole files; `{{#if}}` is for a line or two inside a shared
 * file. A switch is a run of adjacent `{{#if}}` blocks that name two or more values of one option (or an
 * `{{#if}}…{{else}}` on one): it may hold at most 2 lines of code (a comment line per alternative is
 * fine: it describes the option, it does not implement it). A template may not sit wholly inside one
 * `{{#if}}` either (that file belongs to an overlay).
 */
const OPTION_OF: Record<string, string> = {
  isSqlite: 'db',
  isPostgres: 'db',
  isMysql: 'db',
  storeDb: 'store',
  storeRedis: 'store',
  storeMemory: 'store',
};
/** The parts of Handlebars' syntax tree that this rule reads. */
interface Node {
  type: string;
  loc: { start: { line: number } };
  path?: { original?: unknown };
  params?: Array<{ original?: unknown }>;
  original?: string;
  value?: string;
  body?: Node[];
  program?: Node;
  inverse?: Node;
}
const isIf = (n: Node) => n.type === 'BlockStatement' && (n.path?.original === 'if' || n.path?.original === 'unless');
const isBlank = (n: Node) => n.type === 'ContentStatement' && !n.value!.trim();

/** The template lines holding text or values inside a block's arms, and the conditions it names. */
function arms(block: Node): { lines: Set<number>; conditions: string[]; hasElse: boolean } {
  const lines = new Set<number>();
  const conditions: string[] = [];
  const visit = (n: Node | undefined): void => {
    if (!n) return;
    if (isIf(n)) conditions.push(...n.params!.map((p) => String(p.original)));
    if (n.type === 'ContentStatement') {
      n.original!.split('\n').forEach((text, i) => text.trim() && lines.add(n.loc.start.line + i));
    } else if (n.type === 'MustacheStatement') lines.add(n.loc.start.line);
    for (const child of n.body ?? []) visit(child);
    visit(n.program);
    visit(n.inverse);
  };
  visit(block);
  return { lines, conditions, hasElse: Boolean(block.inverse) };
}

function wholeFileAlternatives(template: string): string[] {
  const problems: string[] = [];
  const program = Handlebars.parse(template) as unknown as Node;
  const source = template.split('\n');
  const isComment = (line: number) => /^(\/\/|#|\/\*|\*|<!--)/.test(source[line - 1].trim());
  const meaningful = program.body!.filter((n) => !isBlank(n));
  if (meaningful.length === 1 && isIf(meaningful[0])) problems.push('the whole file sits inside one {{#if}}');
  const visitProgram = (body: Node[]): void => {
    let run: Node[] = [];
    const flush = () => {
      const found = run.map(arms);
      const lines = new Set(found.flatMap((f) => [...f.lines]).filter((line) => !isComment(line)));
      for (const option of new Set(Object.values(OPTION_OF))) {
        const values = new Set(found.flatMap((f) => f.conditions).filter((c) => OPTION_OF[c] === option));
        const isSwitch = values.size >= 2 || (values.size === 1 && found.some((f) => f.hasElse));
        if (isSwitch && lines.size > 2) {
          problems.push(`lines ${Math.min(...lines)}-${Math.max(...lines)}: ${[...values].join('/')} alternatives in ${lines.size} lines`);
        }
      }
      run = [];
    };
    for (const n of body) {
      if (isIf(n)) run.push(n);
      else if (!isBlank(n)) flush();
      for (const child of [n.program, n.inverse]) if (child) visitProgram(child.body!);
    }
    flush();
  };
  visitProgram(program.body!);
  return problems;
}

test('no template holds whole-file alternatives of an option in {{#if}} arms', () => {
  const found = [...templates].filter(([p]) => p.endsWith('.hbs')).map(([p, text]) => [p, wholeFileAlternatives(String(text))]);
  expect(found.filter(([, problems]) => problems.length > 0)).toEqual([]);
});

test('the whole-file rule catches the old db.ts.hbs and a file for one option, and allows a one-line list', () => {
  const oldDbTs = [
    "import { PrismaClient } from './generated/prisma/client';",
    '{{adapterImport}}',
    'export function createPrisma(databaseUrl: string): PrismaClient {',
    '{{#if isSqlite}}',
    '  return new PrismaClient({ adapter: new Adapter({ url: databaseUrl }) });',
    '{{/if}}',
    '{{#if isPostgres}}',
    '  return new PrismaClient({ adapter: new Adapter({ connectionString: databaseUrl }) });',
    '{{/if}}',
    '{{#if isMysql}}',
    '  return new PrismaClient({ adapter: new Adapter(mariadbConfig(databaseUrl)) });',
    '{{/if}}',
    '}',
  ].join('\n');
  expect(wholeFileAlternatives(oldDbTs)).toEqual(['lines 5-11: isSqlite/isPostgres/isMysql alternatives in 3 lines']);
  expect(wholeFileAlternatives('{{#if storeRedis}}\nimport Redis from "ioredis";\nexport const x = 1;\n{{/if}}\n')).toEqual([
    'the whole file sits inside one {{#if}}',
  ]);
  expect(wholeFileAlternatives("const STORES = [{{#if storeDb}}'db', {{/if}}{{#if storeRedis}}'redis', {{/if}}'memory'];\n")).toEqual([]);
  expect(wholeFileAlternatives('Then:\n{{#if isSqlite}}\nSQLite: nothing to install.\n{{else}}\nStart your server.\n{{/if}}\n')).toEqual(
    [],
  );
  const perStoreComments = [
    '{{#if storeDb}}',
    '// db',
    '{{/if}}',
    '{{#if storeRedis}}',
    '// redis',
    '{{/if}}',
    '{{#if storeMemory}}',
    '// memory',
    '{{/if}}',
  ];
  expect(wholeFileAlternatives(['const x = 1;', ...perStoreComments, 'module.exports = x;'].join('\n'))).toEqual([]);
});
