import { z } from 'zod';
import { ErrorAnswer } from './errors';
import { route, type Answer, type AnyRoute } from './route';

/**
 * The OpenAPI 3.1 document of a list of routes, made from their declarations (src/platform/route.ts) and
 * the zod schemas that check their requests (`z.toJSONSchema`): what is checked is what is described.
 * A schema with `.meta({ id })` becomes `#/components/schemas/<id>`.
 */

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/** The document's own words: its title, what it says first, and its groups of routes. */
export interface DocumentInfo {
  title: string;
  version: string;
  description: string;
  tags: { name: string; description: string }[];
  /** By the name a guard gives as its `security`. */
  securitySchemes: Record<string, Json>;
}

/**
 * zod → JSON Schema 2020-12, named schemas moved to `components` and referenced there. Requests are
 * described as zod accepts them (`input`), answers as the app sends them (`output`: objects allow no other
 * field, so an answer that grows a field, e.g. a user's openid, fails the tests). A named schema that
 * reads differently in the two directions gets an `Input` twin.
 */
class Components {
  readonly schemas: Record<string, Json> = {};

  schema(schema: z.ZodType, io: Io): Json {
    const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Json;
    const { $defs = {}, $schema: _dialect, ...root } = json as Json & { $defs?: Record<string, Json> };
    const names = new Map<string, string>();
    for (const [name, def] of Object.entries($defs)) names.set(name, this.place(name, def, io));
    const rename = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(rename);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) =>
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/')
            ? [k, `#/components/schemas/${names.get(v.slice('#/$defs/'.length))}`]
            : [k, rename(v)],
        ),
      );
    };
    for (const [name, final] of names) this.schemas[final] = rename($defs[name]) as Json;
    return rename(root) as Json;
  }

  private place(name: string, def: Json, io: Io): string {
    // placed schemas have their references renamed already: compare what they refer to, not how
    const refs = (j: Json) => JSON.stringify(j).replace(/"#\/(?:\$defs|components\/schemas)\/(\w+?)(?:Input)?"/g, '"$1"');
    const same = (n: string) => this.schemas[n] === undefined || refs(this.schemas[n]) === refs(def);
    if (same(name)) return name;
    if (io === 'input' && same(`${name}Input`)) return `${name}Input`;
    throw new Error(`openapi: the schema ${name} reads differently as a request and as an answer; name one for each`);
  }
}

const JSON_TYPE = 'application/json';
const errorRef = { $ref: '#/components/schemas/ErrorAnswer' };
const errorResponse = (codes: string[]) => ({
  description: codes.map((c) => `\`${c}\``).join(', '),
  content: {
    [JSON_TYPE]: {
      schema: { type: 'object', allOf: [errorRef], properties: { error: { type: 'object', properties: { code: { enum: codes } } } } },
    },
  },
});

/** The error codes of a route: its own, its guard's, its body's, and 500. */
function errorsOf(r: AnyRoute): Record<number, string[]> {
  const all: Record<number, Set<string>> = {};
  const add = (status: number, ...codes: string[]) => codes.forEach((c) => (all[status] ??= new Set()).add(c));
  if (r.body) add(400, 'BAD_REQUEST'); // bad JSON, or a field that fails its schema
  if (r.body) add(413, 'PAYLOAD_TOO_LARGE');
  if (r.body) add(415, 'UNSUPPORTED_MEDIA_TYPE');
  if (r.params || r.query) add(400, 'BAD_REQUEST');
  for (const [status, codes] of Object.entries(r.guard?.errors ?? {})) add(Number(status), ...codes);
  for (const [status, codes] of Object.entries(r.errors ?? {})) add(Number(status), ...(codes as string[]));
  // a database fault an operator must fix answers with the fix instead (platform/database-problems.ts)
  if (all[503]?.has('DATABASE_UNAVAILABLE') || all[503]?.has('SESSION_STORE_UNAVAILABLE'))
    add(503, 'DATABASE_NOT_MIGRATED', 'DATABASE_ACCESS_DENIED');
  add(500, 'INTERNAL');
  return Object.fromEntries(Object.entries(all).map(([status, codes]) => [status, [...codes]]));
}

function answer(a: Answer, c: Components): Json {
  if ('json' in a) return { description: a.description, content: { [JSON_TYPE]: { schema: c.schema(a.json, 'output') } } };
  if ('text' in a) return { description: a.description, content: { [a.type]: { schema: c.schema(a.text, 'output') } } };
  return { description: a.description };
}

function parameters(r: AnyRoute, c: Components): Json[] {
  const list = (where: 'path' | 'query', shape: z.ZodObject | undefined) =>
    Object.entries(shape?.shape ?? {}).map(([name, schema]) => ({
      name,
      in: where,
      required: where === 'path' || !(schema as z.ZodType).safeParse(undefined).success,
      schema: c.schema(schema as z.ZodType, 'input'),
    }));
  return [...list('path', r.params), ...list('query', r.query)];
}

/** `GET /api/auth/sessions/:id` → ['get', '/api/auth/sessions/{id}', 'getApiAuthSessionsId'] */
export function operationOf(key: string): [method: string, path: string, operationId: string] {
  const [method, path] = key.split(' ');
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const operationId = method.toLowerCase() + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return [method.toLowerCase(), path.replace(/:(\w+)/g, '{$1}'), operationId];
}

/** The document of `routes`. */
export function openapiDocument(routes: AnyRoute[], info: DocumentInfo): Json {
  const c = new Components();
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const [method, path, operationId] = operationOf(`${r.method} ${r.path}`);
    const params = parameters(r, c);
    const body: Record<string, z.ZodType> | undefined =
      r.body && ('json' in r.body ? { [JSON_TYPE]: r.body.json } : { 'multipart/form-data': r.body.multipart });
    const responses: Json = {};
    for (const [status, a] of Object.entries(r.answers)) responses[status] = answer(a, c);
    for (const [status, codes] of Object.entries(errorsOf(r))) responses[status] = errorResponse(codes);
    (paths[path] ??= {})[method] = {
      operationId,
      summary: r.summary,
      ...(r.description && { description: r.description }),
      tags: [r.tag],
      ...(r.guard && { security: [{ [r.guard.security]: [] }] }),
      ...(params.length > 0 && { parameters: params }),
      ...(body && {
        requestBody: {
          required: true,
          content: Object.fromEntries(Object.entries(body).map(([type, schema]) => [type, { schema: c.schema(schema, 'input') }])),
        },
      }),
      responses,
    };
  }
  c.schema(ErrorAnswer, 'output');
  return {
    openapi: '3.1.0',
    info: { title: info.title, version: info.version, description: info.description },
    tags: info.tags,
    paths,
    components: {
      schemas: c.schemas,
      responses: { NotFound: errorResponse(['NOT_FOUND']), MethodNotAllowed: errorResponse(['METHOD_NOT_ALLOWED']) },
      securitySchemes: info.securitySchemes,
    },
  };
}

/**
 * GET /openapi.json, serving `document()` (made once). With `serveOpenapi` false (production, unless
 * OPENAPI_PUBLIC=true) it answers like a route that is not there.
 */
export function openapiRoute(document: () => Json) {
  let made: Json | undefined;
  return route({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    description: 'In production a 404, unless OPENAPI_PUBLIC=true.',
    tag: 'meta',
    answers: { 200: { description: 'The OpenAPI 3.1 document.', json: z.object({ openapi: z.string() }).loose() } },
    errors: { 404: ['NOT_FOUND'] },
    // no body: the error handler answers 404 NOT_FOUND, as for any unknown path
    handler: async (_ctx, _input, s: { serveOpenapi?: boolean }) => (s.serveOpenapi ? (made ??= document()) : undefined),
  });
}
