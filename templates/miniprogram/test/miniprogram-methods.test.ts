/**
 * wx.request supports OPTIONS, GET, HEAD, POST, PUT, DELETE, TRACE and CONNECT only (WeChat's docs and
 * its typings: no PATCH; some clients answer "method invalid"). Every route the backend offers the Mini
 * Program, and every call the Mini Program makes, must use one of them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MINIPROGRAM_DIR } from './support/mini-program';
import { startTestApp, type TestApp } from './support/test-app';

const WX_REQUEST_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const file = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(file) : e.name.endsWith('.js') ? [file] : [];
  });
}

/** Each request / uploadFile / send call (api.js's own login and logout) in miniprogram/: [file, method, path], from its options object. */
function clientCalls(): Array<[string, string, string]> {
  return jsFiles(MINIPROGRAM_DIR).flatMap((file) => {
    const source = fs.readFileSync(file, 'utf8');
    return [
      ...source.matchAll(/\b(request|uploadFile|send)\(\s*\{((?:[^{}]|\{[^{}]*\})*?\burl:\s*'(\/[^']*)'(?:[^{}]|\{[^{}]*\})*)\}/g),
    ].map(([, fn, options, url]) => {
      const method = /\bmethod:\s*'([^']+)'/.exec(options)?.[1] ?? (fn === 'uploadFile' ? 'POST' : 'GET');
      return [path.relative(MINIPROGRAM_DIR, file), method, url] as [string, string, string];
    });
  });
}

test('every route in the OpenAPI document uses a method wx.request supports', async () => {
  const { body: document } = await t.http().get('/openapi.json').expect(200);
  const operations = Object.entries(document.paths as Record<string, object>).flatMap(([p, item]) =>
    Object.keys(item)
      .filter((k) => /^(get|put|post|delete|options|head|patch|trace|connect)$/.test(k))
      .map((m) => `${m.toUpperCase()} ${p}`),
  );
  expect(operations.length).toBeGreaterThan(5);
  expect(operations.filter((op) => !WX_REQUEST_METHODS.includes(op.split(' ')[0]))).toEqual([]);
});

test('every call the Mini Program makes is a route of the document, with a method wx.request supports', async () => {
  const { body: document } = await t.http().get('/openapi.json').expect(200);
  const calls = clientCalls();
  expect(calls.map(([, , url]) => url)).toEqual(
    expect.arrayContaining([
      '/api/auth/login',
      '/api/auth/logout',
      '/api/auth/me',
      '/api/users/me',
      '/api/users/me/avatar',
      '/api/auth/phone',
    ]),
  );
  for (const [file, method, url] of calls) {
    expect([file, method, url, WX_REQUEST_METHODS.includes(method)]).toEqual([file, method, url, true]);
    expect([file, method, url, Boolean(document.paths[url]?.[method.toLowerCase()])]).toEqual([file, method, url, true]);
  }
});

test('every method named anywhere in miniprogram/ is one wx.request supports', () => {
  for (const file of jsFiles(MINIPROGRAM_DIR)) {
    for (const [, method] of fs.readFileSync(file, 'utf8').matchAll(/\bmethod:\s*'([^']+)'/g)) {
      expect([path.relative(MINIPROGRAM_DIR, file), method, WX_REQUEST_METHODS.includes(method)]).toEqual([
        path.relative(MINIPROGRAM_DIR, file),
        method,
        true,
      ]);
    }
  }
});
