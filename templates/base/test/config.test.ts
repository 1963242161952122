import { ConfigError, loadConfig } from '../src/config';

const good = {
  WX_APPID: 'wx0123456789abcdef',
  WX_SECRET: 'secret',
  JWT_SECRET: 'x'.repeat(48),
  DATABASE_URL: 'file:./x.db',
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

test('a complete environment loads, with WeChat\'s defaults', () => {
  const c = loadConfig(good);
  expect(c.wxApiBase).toBe('https://api.weixin.qq.com');
  expect(c.sessionTtlSeconds).toBe(30 * 24 * 3600);
  expect(c.host).toBe('127.0.0.1');
});

test.each([
  ['a JWT secret under 32 bytes', { JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 bytes/],
  ['no AppID', { WX_APPID: undefined }, /WX_APPID is missing/],
  ['a malformed AppID', { WX_APPID: 'abc' }, /WX_APPID must be/],
  ['an unknown session store', { SESSION_STORE: 'mongo' }, /SESSION_STORE must be one of/],
  ['a bad port', { PORT: 'eighty' }, /PORT must be a whole number/],
  ['a plain-http WeChat API in production', { NODE_ENV: 'production', WX_API_BASE: 'http://127.0.0.1:9999' }, /https:\/\/ in production/],
])('refuses to start with %s', (_what, change, message) => {
  expect(problems({ ...good, ...change }).join('\n')).toMatch(message);
});

test('names every problem at once', () => {
  expect(problems({})).toEqual(expect.arrayContaining(['WX_APPID is missing', 'WX_SECRET is missing', 'JWT_SECRET is missing', 'DATABASE_URL is missing']));
});
