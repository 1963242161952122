/**
 * Every dependency version the generated project gets, pinned in one place: generation is
 * reproducible and asks no registry. Chosen for Node 22.12+ and 24 (SUPPORTED_NODE in project-rules.ts).
 */
export const VERSIONS = {
  // runtime
  koa: '3.3.0',
  '@koa/router': '15.7.0',
  '@koa/bodyparser': '6.1.0',
  jsonwebtoken: '9.0.3',
  '@prisma/client': '7.10.0',
  '@prisma/adapter-better-sqlite3': '7.10.0',
  'better-sqlite3': '13.2.0', // ships prebuilt binaries (no compiler), engines >= 22; see OVERRIDES
  '@prisma/adapter-pg': '7.10.0',
  pg: '8.23.1',
  '@prisma/adapter-mariadb': '7.10.0',
  mariadb: '3.4.5',
  ioredis: '5.9.2',
  zod: '4.6.7',
  pino: '10.4.0',
  'http-errors': '2.0.1',
  'lru-cache': '11.5.3',
  busboy: '1.6.0',
  'rate-limiter-flexible': '11.4.0',
  // development
  prisma: '7.10.0',
  typescript: '6.0.3',
  tsx: '4.23.15',
  jest: '30.5.2',
  'ts-jest': '29.4.15',
  supertest: '7.3.2',
  'pino-pretty': '13.2.0',
  eslint: '10.15.0',
  '@eslint/js': '10.0.1',
  'typescript-eslint': '8.74.0',
  globals: '17.14.0',
  prettier: '3.10.1',
  '@types/http-errors': '2.0.5',
  '@types/jest': '30.0.0',
  '@types/node': '22.20.7', // the oldest supported Node's API, so code that typechecks runs on 22 and 24
  '@types/koa': '3.0.3',
  '@types/jsonwebtoken': '9.0.10',
  '@types/supertest': '7.2.1',
  '@types/better-sqlite3': '7.6.13',
  '@types/pg': '8.15.6',
  // the OpenAPI tests: responses checked against the document (JSON Schema 2020-12), the document against OAS 3.1
  ajv: '8.20.0',
  'ajv-formats': '3.0.1',
  '@seriousme/openapi-schema-validator': '2.11.0',
  '@types/busboy': '1.5.5',
  // the miniprogram overlay's tests: WeChat's own simulator of Mini Program components, which needs a DOM
  'miniprogram-simulate': '1.6.2',
  'jest-environment-jsdom': '30.5.2',
} as const;

export type Dependency = keyof typeof VERSIONS;

/**
 * Versions forced over what a dependency asks for (npm `overrides`, yarn `resolutions`, pnpm `overrides`
 * in pnpm-workspace.yaml), applied when the project depends on the package itself.
 * @prisma/adapter-better-sqlite3 7.10.0 asks for better-sqlite3 ^12.6.0: 12 compiles from source at
 * install (minutes, and a compiler on the host) and aborts at exit on Node 24; 13 keeps its API.
 */
export const OVERRIDES: ReadonlyArray<Dependency> = ['better-sqlite3'];
