import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, ENV, loadConfig } from '../src/config';
import { testDatabaseUrl } from './support/database';

const good = {
  WX_APPID: 'wx0123456789abcdef',
  WX_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(48),
  DATABASE_URL: testDatabaseUrl(),
  REDIS_URL: 'redis://127.0.0.1:6379',
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

test("a complete environment loads, with WeChat's defaults; blank values mean the default", () => {
  const c = loadConfig({ ...good, SESSION_TTL: '', HOST: '  ' });
  expect(c.wxApiBase).toBe('https://api.weixin.qq.com');
  expect(c.sessionTtlSeconds).toBe(30 * 24 * 3600);
  expect(c.host).toBe('127.0.0.1');
  expect(c.logRequests).toBe(true);
  expect(c.shutdownTimeoutMs).toBe(8000);
});

test('values are converted: numbers, flags, a trailing slash dropped from the WeChat URL', () => {
  const c = loadConfig({ ...good, PORT: '8080', LOG_REQUESTS: 'false', WX_API_BASE: 'http://127.0.0.1:9999/' });
  expect([c.port, c.logRequests, c.wxApiBase]).toEqual([8080, false, 'http://127.0.0.1:9999']);
});

test.each([
  ['a JWT secret under 32 bytes', { JWT_SECRET: 'short' }, /^JWT_SECRET must be at least 32 bytes/],
  ['no AppID', { WX_APPID: undefined }, /^WX_APPID is missing$/],
  ['no JWT secret, saying how to make one', { JWT_SECRET: '' }, /^JWT_SECRET is missing \(make one: node -e ".*randomBytes\(48\)/],
  ['a malformed AppID', { WX_APPID: 'abc' }, /^WX_APPID must be "wx" followed by 16 hex digits$/],
  ['a bad port', { PORT: 'eighty' }, /^PORT must be a whole number from 0 to 65535$/],
  ['a port out of range', { PORT: '70000' }, /^PORT must be a whole number from 0 to 65535$/],
  ['a flag that is not true/false', { LOG_REQUESTS: 'yes' }, /^LOG_REQUESTS must be true or false$/],
  ['an unknown log level', { LOG_LEVEL: 'loud' }, /^LOG_LEVEL must be one of/],
  ['a WeChat URL that is not one', { WX_API_BASE: 'api.weixin.qq.com' }, /^WX_API_BASE must be an http\(s\) URL$/],
  ['a plain-http WeChat API in production', { NODE_ENV: 'production', WX_API_BASE: 'http://127.0.0.1:9999' }, /https:\/\/ in production/],
])('refuses to start with %s', (_what, change, message) => {
  const found = problems({ ...good, ...change });
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(message);
});

test("the missing JWT_SECRET's hint makes a secret the check accepts", () => {
  const hint = problems({ ...good, JWT_SECRET: undefined })[0];
  const script = /node -e "(.+)"\)$/.exec(hint)?.[1];
  expect(script).toBeDefined();
  const secret = execFileSync(process.execPath, ['-e', script!], { encoding: 'utf8' }).trim();
  expect(secret).toMatch(/^[\w-]{64}$/);
  expect(loadConfig({ ...good, JWT_SECRET: secret }).jwtSecret).toBe(secret);
});

test('names every problem at once, in one message', () => {
  expect(problems({})).toEqual(
    expect.arrayContaining([
      'WX_APPID is missing',
      'WX_SECRET is missing',
      expect.stringMatching(/^JWT_SECRET is missing \(/),
      'DATABASE_URL is missing',
    ]),
  );
  expect(() => loadConfig({})).toThrow(/Invalid configuration:\n {2}- /);
});

/** The settings' one declaration against the two places users read them. */
describe('.env.example and the README describe exactly the settings src/config.ts declares', () => {
  const root = path.join(__dirname, '..');
  const declared = Object.keys(ENV.shape).sort();
  const example = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');

  test(".env.example names each setting once (and compose.yaml's own variables), and its example values pass the checks", () => {
    // compose.yaml's database password is no setting of the app: compose reads it from .env itself
    const composeFile = path.join(root, 'compose.yaml');
    const composeText = fs.existsSync(composeFile) ? fs.readFileSync(composeFile, 'utf8') : '';
    const composeOwn = (name: string) => !declared.includes(name) && composeText.includes(`\${${name}:?`);
    const all = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)];
    const lines = all.filter((m) => !composeOwn(m[1]));
    expect(lines.map((m) => m[1]).sort()).toEqual(declared);
    for (const m of all.filter((m) => composeOwn(m[1]))) expect(m[2]).toBe(''); // the generator fills it in .env
    const values = Object.fromEntries(lines.map((m) => [m[1], m[2]]));
    // the secrets are left blank in the example: give them values, everything else must pass as written
    const filled = { ...values, WX_APPID: values.WX_APPID || good.WX_APPID, WX_SECRET: 's', JWT_SECRET: good.JWT_SECRET };
    expect(problems(filled)).toEqual([]);
  });

  test("the README's table has a row for each setting", () => {
    const table = readme.slice(readme.indexOf('| variable | meaning | default |'));
    const rows = table.slice(0, table.indexOf('\n\n')).split('\n').slice(2);
    const named = rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]));
    expect(named.sort()).toEqual(declared);
  });
});

test("a DATABASE_URL for another kind of database is refused by the settings check, naming this project's", () => {
  const own = new URL(testDatabaseUrl()).protocol;
  for (const url of ['file:./dev.db', 'postgresql://postgres@127.0.0.1:5432/app', 'mysql://root@127.0.0.1:3306/app']) {
    if (new URL(url).protocol === own) continue;
    expect(problems({ ...good, DATABASE_URL: url })).toEqual([
      expect.stringMatching(/^DATABASE_URL must be a \S+ URL.*: this project was generated for /),
    ]);
  }
});
