/** @type {import('jest').Config} */
const ts = { '^.+\\.ts$': 'ts-jest' };
module.exports = {
  projects: [
    { displayName: 'unit', testEnvironment: 'node', roots: ['<rootDir>/test/unit'], transform: ts },
    { displayName: 'cli', testEnvironment: 'node', roots: ['<rootDir>/test/cli'], transform: ts },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test/e2e'],
      transform: ts,
      globalSetup: '<rootDir>/test/support/e2e-setup.ts',
    },
  ],
  testTimeout: 30000,
};
