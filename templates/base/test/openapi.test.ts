import fs from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { FakeWechat } from '../scripts/fake-wechat';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { operationOf } from '../src/platform/openapi';
import { routeKey } from '../src/platform/route';
import { openapiDocument, ROUTES } from '../src/routes';
import { startTestApp, type TestApp } from './support/test-app';
import { testDatabaseUrl } from './support/database';

// OpenAPI 3.1's own JSON Schema (spec.openapis.org), as kept up to date by @seriousme/openapi-schema-validator.
// Its JavaScript API is ESM-only, which Jest cannot load on Node 22, so its schema is used with Ajv directly.
const OAS_31 = JSON.parse(fs.readFileSync(require.resolve('@seriousme/openapi-schema-validator/schemas/v3.1/schema.json'), 'utf8'));

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is walked as plain JSON */
const doc = openapiDocument() as any;

/** The document as a schema resource: Ajv resolves `#/components/schemas/...` inside it. */
const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats(ajv);
ajv.addVocabulary(['openapi', 'info', 'tags', 'paths', 'components']); // the document's own fields, around its schemas
ajv.addSchema(doc, 'openapi.json');
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('the document describes every route', () => {
  test('a route the document says needs a login answers 401 without one, and one it says is open does not', async () => {
    const problems: string[] = [];
    for (const r of ROUTES) {
      const [method, path] = operationOf(routeKey(r));
      const secured = JSON.stringify(doc.paths[path][method].security ?? []) === JSON.stringify([{ JWT: [] }]);
      const url = r.path.replace(/:\w+/g, '1');
      const res = await t.http()[r.method === 'DELETE' ? 'delete' : (r.method.toLowerCase() as 'get' | 'post' | 'put')](url);
      if ((res.status === 401 && res.body.error?.code === 'UNAUTHORIZED') !== secured)
        problems.push(`${routeKey(r)}: the document says ${secured ? '' : 'no '}login, the app answered ${res.status} without one`);
    }
    expect(problems).toEqual([]);
  });

  test('every error answer in the document is {error:{code,message}} with its codes listed', () => {
    const problems: string[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const key = `${method.toUpperCase()} ${path}`;
        for (const [status, response] of Object.entries<any>(op.responses)) {
          if (Number(status) < 400) continue;
          const validate = ajv.getSchema(
            `openapi.json#/${pointer('paths', path, method, 'responses', status, 'content', 'application/json', 'schema')}`,
          );
          const codes: string[] = response.content?.['application/json']?.schema?.properties?.error?.properties?.code?.enum ?? [];
          const shaped =
            validate !== undefined &&
            codes.length > 0 &&
            codes.every((code) => validate({ error: { code, message: 'm' } })) &&
            !validate({ error: { code: 'NOT_DOCUMENTED', message: 'm' } }) &&
            !validate({ message: 'm' });
          if (!shaped) problems.push(`${key}: its ${status} is not {error:{code,message}} with its codes listed`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the document is valid OpenAPI 3.1', () => {
  test("it passes OpenAPI 3.1's JSON Schema", () => {
    const check = new Ajv2020({ strict: false, allErrors: true });
    addFormats(check);
    check.addFormat('media-range', true);
    const valid = check.validate(OAS_31, doc);
    expect(check.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  test('every schema in it is valid JSON Schema 2020-12, every $ref resolves, every path parameter is declared', () => {
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const where = ['paths', path, method];
        for (const [type, media] of Object.entries<any>(op.requestBody?.content ?? {})) {
          expect(ajv.validateSchema(media.schema)).toBe(true);
          expect(() => ajv.getSchema(`openapi.json#/${pointer(...where, 'requestBody', 'content', type, 'schema')}`)).not.toThrow();
        }
        for (const [status, response] of Object.entries<any>(op.responses)) {
          for (const type of Object.keys(response.content ?? {})) {
            expect(() => ajv.getSchema(`openapi.json#/${pointer(...where, 'responses', status, 'content', type, 'schema')}`)).not.toThrow();
          }
        }
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        expect((op.parameters ?? []).filter((p: any) => p.in === 'path').map((p: any) => p.name)).toEqual(inPath);
      }
    }
    for (const schema of Object.values(doc.components.schemas)) expect(ajv.validateSchema(schema as object)).toBe(true);
  });

  test('the security scheme is `Authorization: JWT <token>`', () => {
    expect(doc.components.securitySchemes.JWT).toMatchObject({ type: 'apiKey', in: 'header', name: 'Authorization' });
    expect(doc.components.securitySchemes.JWT.description).toMatch(/JWT <token>/);
  });
});

describe("the running app's real answers match the document", () => {
  const validators = new Map<string, ValidateFunction>();
  /** Checks `res` against the response the document gives for `ref` (an operation, or a shared response). */
  function expectDocumented(res: request.Response, ref: `${string} /${string}` | 'NotFound' | 'MethodNotAllowed') {
    const type = (res.headers['content-type'] ?? '').split(';')[0];
    let base: string[];
    if (ref === 'NotFound' || ref === 'MethodNotAllowed') base = ['components', 'responses', ref];
    else {
      const [method, path] = operationOf(ref);
      expect(doc.paths[path]?.[method]?.responses?.[res.status]).toBeDefined();
      base = ['paths', path, method, 'responses', String(res.status)];
    }
    const response = base.reduce((node, part) => node?.[part], doc);
    if (!response.content) {
      expect([res.status, res.text]).toEqual([res.status, '']);
      return;
    }
    expect(Object.keys(response.content)).toContain(type);
    const id = `openapi.json#/${pointer(...base, 'content', type, 'schema')}`;
    const validate = validators.get(id) ?? ajv.getSchema(id)!;
    validators.set(id, validate);
    const valid = validate(res.body);
    expect({ status: res.status, body: res.body, errors: validate.errors ?? [] }).toEqual({
      status: res.status,
      body: res.body,
      errors: [],
    });
    expect(valid).toBe(true);
  }

  test('login, me, phone, decrypt, logout (204)', async () => {
    const { code, user } = t.fake.newLogin();
    const login = await t.http().post('/api/auth/login').send({ code });
    expect(login.status).toBe(200);
    expectDocumented(login, 'POST /api/auth/login');
    const auth = `JWT ${login.body.token}`;

    expectDocumented(await t.http().get('/api/auth/me').set('Authorization', auth), 'GET /api/auth/me');

    const phoneCode = t.fake.newPhoneCode('13912345678');
    const phone = await t.http().post('/api/auth/phone').set('Authorization', auth).send({ code: phoneCode });
    expect(phone.status).toBe(200);
    expectDocumented(phone, 'POST /api/auth/phone');

    const plain = { stepInfoList: [{ timestamp: 1, step: 100 }], watermark: { appid: t.appid, timestamp: 1 } };
    const decrypt = await t.http().post('/api/wechat/decrypt').set('Authorization', auth).send(FakeWechat.encrypt(user.session_key, plain));
    expect(decrypt.status).toBe(200);
    expectDocumented(decrypt, 'POST /api/wechat/decrypt');

    const logout = await t.http().post('/api/auth/logout').set('Authorization', auth);
    expect(logout.status).toBe(204);
    expectDocumented(logout, 'POST /api/auth/logout');
  });

  test('livez, readyz, healthz', async () => {
    for (const path of ['/livez', '/readyz', '/healthz'] as const) {
      const res = await t.http().get(path);
      expect(res.status).toBe(200);
      expectDocumented(res, `GET ${path}`);
    }
  });

  test('a 401, a 400, a 415, a 404 and a 405', async () => {
    const unauthorized = await t.http().get('/api/auth/me');
    expect(unauthorized.status).toBe(401);
    expectDocumented(unauthorized, 'GET /api/auth/me');

    const badCode = await t.http().post('/api/auth/login').send({ code: 'not a code!' });
    expect([badCode.status, badCode.body.error?.code]).toEqual([400, 'INVALID_CODE']);
    expectDocumented(badCode, 'POST /api/auth/login');
    const badJson = await t.http().post('/api/auth/login').set('content-type', 'application/json').send('{"code":');
    expect([badJson.status, badJson.body.error?.code]).toEqual([400, 'BAD_REQUEST']);
    expectDocumented(badJson, 'POST /api/auth/login');

    const form = await t.http().post('/api/auth/login').type('form').send('code=abc');
    expect(form.status).toBe(415);
    expectDocumented(form, 'POST /api/auth/login');

    const nothing = await t.http().get('/api/nothing-here');
    expect(nothing.status).toBe(404);
    expectDocumented(nothing, 'NotFound');

    const wrongMethod = await t.http().get('/api/auth/login');
    expect(wrongMethod.status).toBe(405);
    expectDocumented(wrongMethod, 'MethodNotAllowed');
  });

  test('a user that grows a field (say, its openid) no longer matches its documented answer', () => {
    const validate = ajv.getSchema('openapi.json#/components/schemas/PublicUser')!;
    const user = {
      id: '0b7e4f6c-2a51-4c1e-9d3a-5f6e7a8b9c0d',
      nickname: null,
      avatarUrl: null,
      phone: null,
      createdAt: new Date().toISOString(),
      nicknamePending: false,
      avatarPending: false,
    };
    expect(validate(user)).toBe(true);
    expect(validate({ ...user, openid: 'o_secret' })).toBe(false);
  });
});

describe('GET /openapi.json', () => {
  const config = (env: Record<string, string>) =>
    loadConfig({
      WX_APPID: t.appid,
      WX_SECRET: 's',
      JWT_SECRET: 'x'.repeat(48),
      DATABASE_URL: testDatabaseUrl(),
      REDIS_URL: 'redis://x',
      ...env,
    });
  const appServing = (serveOpenapi: boolean) => createApp({ ...t.deps, store: t.store, log: t.log, sessionCacheMs: 0, serveOpenapi });

  test('is served by the app in development: the same document, matching its own entry', async () => {
    const dev = config({ NODE_ENV: 'development' });
    expect(dev.serveOpenapi).toBe(true);
    const res = await request(appServing(dev.serveOpenapi).callback()).get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(doc);
    expectDocumentedHere(res);
  });

  test('the real wiring (loadConfig → createDeps → createApp) serves it outside production', async () => {
    const res = await t.http().get('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(doc);
  });

  test('is a 404 in production, unless OPENAPI_PUBLIC=true', async () => {
    const prod = config({ NODE_ENV: 'production' });
    expect(prod.serveOpenapi).toBe(false);
    const hidden = await request(appServing(prod.serveOpenapi).callback()).get('/openapi.json');
    expect(hidden.status).toBe(404);
    expect(hidden.body).toEqual({ error: { code: 'NOT_FOUND', message: 'No such route.' } });
    expect(config({ NODE_ENV: 'production', OPENAPI_PUBLIC: 'true' }).serveOpenapi).toBe(true);
  });

  function expectDocumentedHere(res: request.Response) {
    const validate = ajv.getSchema(
      `openapi.json#/${pointer('paths', '/openapi.json', 'get', 'responses', '200', 'content', 'application/json', 'schema')}`,
    )!;
    expect(validate(res.body)).toBe(true);
  }
});
