/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  // isolatedModules (tsconfig): ts-jest only transpiles, which keeps the suite fast; `npm run typecheck` checks types.
  // Jest runs CommonJS: compile import() to require() (Prisma's client loads its query compiler that way).
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { module: 'commonjs', ignoreDeprecations: '6.0' } }] },
  // Prisma's generated client imports its siblings as ./x.js: point those at the .ts sources.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 20000,
};
