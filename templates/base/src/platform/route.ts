import Router from '@koa/router';
import type { Middleware, ParameterizedContext } from 'koa';
import type { z } from 'zod';
import { jsonBody, parseInput } from './body';

/** The methods routes use: the ones `wx.request` supports (it has no PATCH). */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/**
 * A request body. `json`: parsed and checked here, handed to the handler. `raw: true`: a JSON body the
 * handler reads itself (e.g. signed bytes). `multipart`: a form the handler streams (files as `z.file()`).
 */
export type RequestBody = { json: z.ZodType; raw?: true } | { multipart: z.ZodObject };

/** A success answer: JSON, text or XML, or nothing (204). */
export type Answer = { description: string } & (
  { json: z.ZodType } | { text: z.ZodType; type: 'text/plain' | 'application/xml' } | { empty: true }
);

/** A route guard: a middleware that refuses a request, and what the document says of it. */
export type Guard<S = never> = Middleware<S> & {
  /** The document's security scheme (e.g. `JWT`). */
  readonly security: string;
  /** What it answers when it refuses, by status. */
  readonly errors: Record<number, string[]>;
};

type Out<T> = T extends z.ZodType ? z.output<T> : undefined;
type BodyOut<B> = B extends { json: z.ZodType; raw: true } ? undefined : B extends { json: infer J } ? Out<J> : undefined;

/** What the handler gets, checked against the route's schemas. */
export interface Input<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: BodyOut<B>;
}

/**
 * One route, declared once: the router, the request checks and the OpenAPI document all come from it.
 * `S` is the app's `ctx.state`, `D` what the handler needs of the app's services.
 */
export interface Route<S = never, D = never, P = unknown, Q = unknown, B = unknown> {
  method: Method;
  /** Exact: case-sensitive, no trailing slash; `:name` for a path parameter. */
  path: string;
  /** Who may call it (e.g. `loginRequired`); none: anyone. */
  guard?: Guard<S>;
  summary: string;
  description?: string;
  /** The document's group for it (see the tags of src/openapi-info.ts). */
  tag: string;
  params?: P & z.ZodObject;
  query?: Q & z.ZodObject;
  body?: B & RequestBody;
  /** Success answers by status. */
  answers: Record<number, Answer>;
  /** The error codes it answers with, by status (besides those of its guard, its body, and 500). */
  errors?: Record<number, string[]>;
  /** Its answer (`ctx.body`), or undefined when it set the answer itself (e.g. 204). */
  handler(ctx: ParameterizedContext<S>, input: Input<P, Q, B>, services: D): Promise<unknown>;
}

/** Any route, as lists of routes hold them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route checks its own input types
export type AnyRoute<S = any, D = any> = Route<S, D, any, any, any>;

/** Declares a route; the identity, there for its types (the handler's input is inferred from the schemas). */
export function route<S, D, P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined, B = undefined>(
  r: Route<S, D, P, Q, B>,
): Route<S, D, P, Q, B> {
  return r;
}

/** `GET /api/auth/sessions/:id` */
export const routeKey = (r: Pick<AnyRoute, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** What app.ts mounts: the routes, then the 405 / 501 answers for a known path with another method. */
export interface AppRouter<S> {
  routes(): Middleware<S>;
  allowedMethods(): Middleware<S>;
}

/** Runs `stack` in order, each layer's `next` the following one, the last one's the caller's. */
function chain<S>(stack: Middleware<S>[]): Middleware<S> {
  return stack.reduceRight<Middleware<S>>(
    (after, layer) => (ctx, next) => layer(ctx, () => after(ctx, next)),
    (_ctx, next) => next(),
  );
}

const NO_INPUT = Object.freeze({ params: undefined, query: undefined, body: undefined });

/**
 * The router of a list of routes: for each, its guard, its JSON body parser (only routes that take one,
 * so GETs skip it), the checks of its params, query and body, then its handler with `services`.
 *
 * A path without parameters is found in one Map lookup, its middleware chained once at start-up:
 * @koa/router tries every route's regular expression and builds each request's chain anew (about 2 µs
 * a request, most of the app's own cost on /api/auth/me). Only where @koa/router would pick that same
 * route first; every other request (path parameters, an unknown path, another method) goes to it.
 */
export function buildRouter<S, D>(routes: AnyRoute<S, D>[], services: D): AppRouter<S> {
  const router = new Router<S>({ strict: true, sensitive: true });
  const json = jsonBody();
  const stacks = new Map<AnyRoute<S, D>, Middleware<S>[]>();
  for (const r of routes) {
    const stack: Middleware<S>[] = [];
    if (r.guard) stack.push(r.guard);
    const body = r.body && 'json' in r.body && !r.body.raw ? r.body.json : undefined;
    if (body) stack.push(json as Middleware<S>);
    // a route that takes no input (GET /api/auth/me) gets one frozen empty input rather than a new one per request
    const none = r.params || r.query || body ? null : NO_INPUT;
    stack.push(async function handle(ctx) {
      const input = none ?? {
        params: r.params ? parseInput(r.params, ctx.params) : undefined,
        query: r.query ? parseInput(r.query, ctx.query) : undefined,
        body: body ? parseInput(body, (ctx.request as { body?: unknown }).body ?? {}) : undefined,
      };
      const answer = await r.handler(ctx, input, services);
      if (answer !== undefined) ctx.body = answer;
    });
    router.register(r.path, [r.method], stack, { name: routeKey(r) });
    stacks.set(r, stack);
  }
  // path → method → its chain: two lookups, no key string built per request
  const exact = new Map<string, Map<string, Middleware<S>>>();
  for (const r of routes) {
    const methods = r.method === 'GET' ? ['GET', 'HEAD'] : [r.method]; // @koa/router answers HEAD with GET's route
    for (const method of methods) {
      const first = router.match(r.path, method).pathAndMethod.find((layer) => layer.methods.length > 0);
      if (r.path.includes(':') || first?.name !== routeKey(r)) continue;
      if (!exact.has(r.path)) exact.set(r.path, new Map());
      exact.get(r.path)!.set(method, chain(stacks.get(r)!));
    }
  }
  const dispatch = router.routes() as Middleware<S>;
  return {
    routes: () =>
      function routes(ctx, next) {
        const found = exact.get(ctx.path)?.get(ctx.method);
        if (!found) return dispatch(ctx, next);
        ctx.params = {};
        return found(ctx, next);
      },
    allowedMethods: () => router.allowedMethods() as Middleware<S>,
  };
}
