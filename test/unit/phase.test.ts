import { isLogNoise, phaseOf } from '../../src/phase';

test("npm's info-level lines become what it is doing: the package it fetches, the script it runs", () => {
  expect(phaseOf('npm http fetch GET 200 https://registry.npmjs.org/@prisma%2fclient 35ms (cache miss)')).toBe('fetching @prisma/client');
  expect(phaseOf('npm http fetch GET 200 https://registry.npmjs.org/koa/-/koa-3.1.1.tgz 120ms (cache miss)')).toBe('fetching koa');
  expect(phaseOf('npm info run better-sqlite3@12.6.2 install node_modules/better-sqlite3 prebuild-install || node-gyp rebuild')).toBe(
    'running the install script of better-sqlite3',
  );
  expect(phaseOf('npm info run @prisma/engines@7.10.0 postinstall node_modules/@prisma/engines node scripts/postinstall.js')).toBe(
    'running the postinstall script of @prisma/engines',
  );
  expect(phaseOf('npm info run better-sqlite3@12.6.2 install { code: 0, signal: null }')).toBeNull();
  expect(phaseOf('npm info using npm@11.19.1')).toBeNull();
  expect(phaseOf('npm http cache koa@https://registry.npmjs.org/koa/-/koa-3.1.1.tgz 1ms (cache hit)')).toBeNull();
});

test("pnpm's and yarn's own progress lines, and anything else, are shown condensed; blank lines say nothing", () => {
  expect(phaseOf('Progress: resolved 389, reused 0, downloaded 120, added 100')).toBe(
    'Progress: resolved 389, reused 0, downloaded 120, added 100',
  );
  expect(phaseOf('[2/4] Fetching packages...')).toBe('Fetching packages (2/4)');
  expect(phaseOf('\u001b[33m│   Ignored build scripts: esbuild.   │\u001b[39m')).toBe('Ignored build scripts: esbuild.');
  expect(phaseOf('   \t')).toBeNull();
});

test("npm's logging is left out of a failure's tail; its errors are kept", () => {
  expect(isLogNoise('npm http fetch GET 200 https://registry.npmjs.org/koa 35ms')).toBe(true);
  expect(isLogNoise('npm info run better-sqlite3@12.6.2 install node_modules/better-sqlite3')).toBe(true);
  expect(isLogNoise('npm error code ERESOLVE')).toBe(false);
  expect(isLogNoise('gyp ERR! build error')).toBe(false);
});
