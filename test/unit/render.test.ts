import path from 'node:path';
import Handlebars from 'handlebars';
import { DATABASES, PACKAGE_MANAGERS, SESSION_STORES, resolveOptions, type Database, type SessionStore } from '../../src/options';
import { outputPath, render, templateLayers, type FileMap } from '../../src/render';
import { VERSIONS } from '../../src/versions';
import { templates } from '../support/templates';

const options = (db: Database, sessionStore: SessionStore, more: Record<string, string> = {}) =>
  resolveOptions({ projectName: 'demo', db, sessionStore, pm: 'npm', ...more });

const ADAPTERS: Record<Database, string[]> = {
  sqlite: ['@prisma/adapter-better-sqlite3', 'better-sqlite3'],
  postgresql: ['@prisma/adapter-pg', 'pg'],
  mysql: ['@prisma/adapter-mariadb', 'mariadb'],
};

const layerOf = (templatePath: string) => templatePath.split('/')[0];

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

  test('every template of a chosen layer is rendered, none of another layer, nothing else but package.json; sorted', () => {
    const chosen = templateLayers(options(db, store));
    const expected = [...templates.keys()]
      .filter((p) => chosen.includes(layerOf(p)))
      .map((p) => outputPath(p.slice(layerOf(p).length + 1)));
    expect([...files.keys()]).toEqual([...expected, 'package.json'].sort());
    expect(chosen).toEqual(expect.arrayContaining(['base', `db-${db}`, `store-${store}`]));
    expect(chosen.filter((l) => l.startsWith('db-') || l.startsWith('store-'))).toEqual([`db-${db}`, `store-${store}`]);
  });

  test('no .hbs suffix and no "_"-stored dotfile name survives; the files the generator itself reads are there', () => {
    const paths = [...files.keys()];
    expect(paths.filter((p) => p.endsWith('.hbs'))).toEqual([]);
    // dotfiles are stored as "_name" (DOTFILE_RENAMES): a single leading "_" left in a path is one the map misses
    expect(paths.filter((p) => p.split('/').some((segment) => /^_(?!_)/.test(segment)))).toEqual([]);
    for (const p of ['.env.example', '.gitignore', 'package.json', 'README.md', 'README.zh-CN.md', 'prisma/schema/schema.prisma']) {
      expect([p, files.has(p)]).toEqual([p, true]);
    }
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
    const packageOf = (s: string) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'); // a file inside one: its package
    expect([...new Set(talksTo('src/stores/store.ts').map(packageOf))]).toEqual(
      store === 'redis' ? ['ioredis', 'rate-limiter-flexible'] : [],
    );
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

  test('.env.example names each setting once, each one the app reads, Redis only with Redis, and holds no secret', () => {
    // that it names every setting src/config.ts declares is the generated project's own test (test/config.test.ts)
    const env = files.get('.env.example')!;
    const keys = [...env.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
    const app = [...files].filter(([p]) => p.startsWith('src/') && p.endsWith('.ts')).map(([, text]) => text);
    // compose.yaml reads the database server's password from .env itself (the app never does)
    const composeOwn = (k: string) => files.get('compose.yaml')?.includes(`\${${k}:?`) === true;
    expect(keys.filter((k) => !composeOwn(k) && !app.some((text) => new RegExp(`\\b${k}\\b`).test(text)))).toEqual([]);
    expect(keys.filter(composeOwn)).toEqual(db === 'postgresql' ? ['POSTGRES_PASSWORD'] : db === 'mysql' ? ['MYSQL_ROOT_PASSWORD'] : []);
    expect(keys).toEqual(expect.arrayContaining(['WX_APPID', 'WX_SECRET', 'JWT_SECRET', 'DATABASE_URL']));
    expect(keys.includes('REDIS_URL')).toBe(store === 'redis');
    for (const secret of ['JWT_SECRET', 'WX_SECRET', 'WX_PUSH_TOKEN', 'WX_PUSH_AES_KEY', ...keys.filter(composeOwn)]) {
      expect(env).toMatch(new RegExp(`^${secret}=$`, 'm'));
    }
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
  const miniprogram = [...templates.keys()]
    .filter((p) => layerOf(p) === 'miniprogram')
    .map((p) => outputPath(p.slice('miniprogram/'.length)));
  expect(miniprogram).toEqual(expect.arrayContaining(['miniprogram/app.json', 'miniprogram/utils/api.js']));
  expect([...files.keys()].filter((p) => !without.has(p)).sort()).toEqual(miniprogram.sort());
  expect(without.get('README.md')).not.toContain('miniprogram/');
  expect(files.get('README.md')).toContain('miniprogram/utils/api.js');
});

test('every template folder is the base or an overlay some choice adds and another leaves out', () => {
  // one answer per alternative of each option (a new option adds its alternatives here)
  const variants = [
    ...DATABASES.map((db) => ({ db })),
    ...SESSION_STORES.map((sessionStore) => ({ sessionStore })),
    ...[true, false].map((miniprogram) => ({ miniprogram })),
    ...PACKAGE_MANAGERS.map((pm) => ({ pm })),
    ...[true, false].map((pay) => ({ pay })),
    ...DATABASES.map((db) => ({ db, pay: true })),
    { target: 'cloudrun', db: 'mysql' },
    { target: 'cloudrun', db: 'postgresql' },
  ].map((v) => templateLayers(resolveOptions({ projectName: 'demo', pm: 'npm', ...v })));
  const folders = [...new Set([...templates.keys()].map(layerOf))].sort();
  expect([...new Set(variants.flat())].sort()).toEqual(folders);
  for (const layer of folders) {
    expect([layer, variants.every((layers) => layers.includes(layer))]).toEqual([layer, layer === 'base']);
  }
});

test('--pay adds the pay overlay: its code, its tables in the chosen dialect, its Mini Program half only with a Mini Program, and its scripts', () => {
  const plain = render(options('postgresql', 'db'), templates);
  const pay = (db: Database, miniprogram = true) =>
    render(resolveOptions({ projectName: 'demo', pm: 'npm', db, pay: true, miniprogram }), templates);
  const withPay = pay('postgresql');
  const added = [...withPay.keys()].filter((p) => !plain.has(p));
  expect(added).toEqual(
    expect.arrayContaining([
      'src/pay/wechatpay-crypto.ts',
      'scripts/fake-wechat-pay.ts',
      'prisma/migrations/20261204100000_pay/migration.sql',
      'miniprogram/utils/pay.js',
    ]),
  );
  expect([...plain.keys()].filter((p) => /pay[/.-]/.test(p))).toEqual([]);
  const migration = (files: FileMap) => files.get('prisma/migrations/20261204100000_pay/migration.sql')!;
  expect(migration(withPay)).toContain('"id" SERIAL NOT NULL');
  expect(migration(pay('sqlite'))).toContain('AUTOINCREMENT');
  expect(migration(pay('mysql'))).toContain('AUTO_INCREMENT');
  expect([...pay('sqlite', false).keys()].filter((p) => p.startsWith('miniprogram/') || p.includes('miniprogram-pay'))).toEqual([]);
  expect(JSON.parse(withPay.get('package.json')!).scripts).toMatchObject({
    'pay:refund': expect.any(String),
    'pay:sweep': expect.any(String),
  });
  expect(JSON.parse(plain.get('package.json')!).scripts['pay:refund']).toBeUndefined();
});

test('better-sqlite3 is forced to its pinned version where each manager reads overrides; pnpm-workspace.yaml only for pnpm', () => {
  const forced = { 'better-sqlite3': VERSIONS['better-sqlite3'] };
  const pkg = (pm: string, db = 'sqlite') =>
    JSON.parse(render(resolveOptions({ projectName: 'demo', pm, db }), templates).get('package.json')!);
  expect([pkg('npm').overrides, pkg('npm').resolutions]).toEqual([forced, undefined]);
  expect([pkg('yarn').resolutions, pkg('yarn').overrides]).toEqual([forced, undefined]);
  expect([pkg('pnpm').overrides, pkg('pnpm').resolutions, pkg('npm', 'postgresql').overrides]).toEqual([undefined, undefined, undefined]);
  const workspace = (db: string) => render(resolveOptions({ projectName: 'demo', pm: 'pnpm', db }), templates).get('pnpm-workspace.yaml')!;
  expect(workspace('sqlite')).toMatch(new RegExp(`^overrides:\\n {2}better-sqlite3: ${VERSIONS['better-sqlite3']}$`, 'm'));
  expect(workspace('postgresql')).not.toMatch(/^(overrides:| +better-sqlite3:)/m);
  for (const pm of ['npm', 'yarn'])
    expect(render(resolveOptions({ projectName: 'demo', pm }), templates).has('pnpm-workspace.yaml')).toBe(false);
});

test("yarn classic runs no dependency's install script (it would compile better-sqlite3); npm and pnpm get no .yarnrc", () => {
  const files = (pm: string, db = 'sqlite') => render(resolveOptions({ projectName: 'demo', pm, db }), templates);
  for (const db of ['sqlite', 'postgresql']) expect(files('yarn', db).get('.yarnrc')).toMatch(/^ignore-scripts true$/m);
  expect(files('yarn').get('README.md')).toContain('`.yarnrc` sets `ignore-scripts true`');
  for (const pm of ['npm', 'pnpm']) {
    expect(files(pm).has('.yarnrc')).toBe(false);
    expect(files(pm).get('README.md')).not.toContain('.yarnrc');
  }
});

test("each package manager's Dockerfile installs from its own lockfile, pinned, with no install script; node is PID 1", () => {
  const dockerfile = (pm: string, db = 'sqlite') => render(resolveOptions({ projectName: 'demo', pm, db }), templates).get('Dockerfile')!;
  const copies = (pm: string) => dockerfile(pm).match(/^COPY package\.json (.+) \.\/$/m)?.[1];
  expect([copies('npm'), copies('pnpm'), copies('yarn')]).toEqual([
    'package-lock.json',
    'pnpm-lock.yaml pnpm-workspace.yaml',
    'yarn.lock .yarnrc',
  ]);
  expect(dockerfile('npm')).toMatch(/^RUN --mount=type=cache,target=\/root\/\.npm npm ci --ignore-scripts /m);
  expect(dockerfile('pnpm')).toMatch(/^ {4}npx --yes pnpm@\d+\.\d+\.\d+ install --frozen-lockfile$/m);
  expect(dockerfile('yarn')).toMatch(/^ {4}npx --yes yarn@1\.\d+\.\d+ install --frozen-lockfile --non-interactive$/m);
  for (const pm of ['npm', 'pnpm', 'yarn']) {
    expect(dockerfile(pm)).not.toMatch(pm === 'npm' ? /pnpm-lock|yarn\.lock/ : /package-lock\.json/);
    expect(dockerfile(pm)).not.toMatch(/apt-get|g\+\+|python3/); // no compiler: every native module ships prebuilt
    expect(dockerfile(pm)).toMatch(/^CMD \["node","--max-semi-space-size=2","dist\/server\.js"\]$/m);
    expect(dockerfile(pm)).toMatch(/^USER node$/m);
  }
  expect(dockerfile('npm', 'sqlite')).toContain('DATABASE_URL=file:/data/app.db');
  expect(dockerfile('npm', 'postgresql')).not.toContain('DATABASE_URL=file:');
  const ignored = render(resolveOptions({ projectName: 'demo', pm: 'npm' }), templates)
    .get('.dockerignore')!
    .split('\n');
  expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'test', '**/*.db', '**/uploads']));
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
