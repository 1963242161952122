import { DATABASES, SESSION_STORES } from '../../src/options';
import { e2eDatabaseName, expectOk, generateProject, prismaGenerate, tool } from '../support/e2e';

/** Each combination gets its own test database, so runs never see each other's rows. */
function testDatabaseUrl(db: string, name: string): string | undefined {
  const dbName = e2eDatabaseName(name);
  if (db === 'postgresql') return `postgresql://postgres@127.0.0.1:5432/${dbName}`;
  if (db === 'mysql') return `mysql://root@127.0.0.1:3306/${dbName}`;
  return undefined; // SQLite: the project's own test.db
}

// WeChat Pay only adds to a project, so a --pay combination also proves the one without it: these two
// stand for their plain pairs (and the default project's suite runs in default-project.test.ts too).
// --target cloudrun (微信云托管) stands for MySQL + Redis on a server: it changes only the gateway identity,
// 开放接口服务 and the MYSQL_ settings, whose server side every other MySQL and Redis project proves.
const withExtra: ReadonlyArray<readonly [string, string, string]> = [
  ['sqlite', 'db', '--pay'],
  ['postgresql', 'redis', '--pay'],
  ['mysql', 'redis', '--target cloudrun'],
];
const combos: Array<readonly [string, string, string]> = [
  ...DATABASES.flatMap((db) => SESSION_STORES.map((store) => [db, store, ''] as const)).filter(
    ([db, store]) => !withExtra.some(([d, s]) => d === db && s === store),
  ),
  ...withExtra,
];

describe.each(combos)('generated with --db %s --session-store %s %s', (db, store, extra) => {
  const name = `${db}-${store}${extra.replace(/^--/, '-').replace(/ /g, '-')}`;
  let dir: string;

  beforeAll(async () => {
    dir = generateProject(name, ['--db', db, '--session-store', store, ...(extra ? extra.split(' ') : [])]);
    expectOk(await prismaGenerate(dir), 'prisma generate');
  }, 120_000);

  test('typechecks', async () => {
    expectOk(await tool(dir, 'tsc', ['--noEmit', '-p', '.']), 'tsc --noEmit');
  }, 120_000);

  test('is lint-clean (ESLint) and formatted (Prettier) as generated', async () => {
    expectOk(await tool(dir, 'eslint', ['.']), 'eslint .');
    expectOk(await tool(dir, 'prettier', ['--check', '.']), 'prettier --check .');
  }, 120_000);

  test('its own test suite passes against the real database at the committed migration', async () => {
    const url = testDatabaseUrl(db, name);
    const r = await tool(dir, 'jest', ['--ci'], { ...(url ? { TEST_DATABASE_URL: url } : {}) }, 240_000);
    expectOk(r, "the generated project's jest");
    expect(r.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
    expect(r.output).not.toMatch(/Tests:.*failed/);
    expect(r.output).not.toContain('Jest did not exit'); // what the tests open, they close
  }, 300_000);
});
