#!/usr/bin/env node
'use strict';
/**
 * Build step after tsc: bundles the CLI and every runtime dependency it uses (commander,
 * @inquirer/prompts, handlebars' runtime, validate-npm-package-name) into one file,
 * dist/create-wx-backend.cjs, so the published package has no dependencies and `npx create-wx-backend`
 * fetches one tarball, as create-vite does. The precompiled templates stay a module of their own beside
 * it (dist/templates.precompiled.js, loaded by path). The full handlebars compiler is left out: it is
 * needed only when templates come as text (tests, or templates being edited in a checkout).
 * Usage: node scripts/bundle.js
 */
const path = require('node:path');
const esbuild = require('esbuild');

const ROOT = path.join(__dirname, '..');
const BUNDLE = path.join(ROOT, 'dist', 'create-wx-backend.cjs');

/** `require('handlebars')` (the compiler) stays a plain require; `handlebars/runtime` is bundled. */
const handlebarsCompilerExternal = {
  name: 'handlebars-compiler-external',
  setup(build) {
    build.onResolve({ filter: /^handlebars$/ }, () => ({ path: 'handlebars', external: true }));
  },
};

/**
 * `@inquirer/prompts` is every prompt (its editor alone brings iconv-lite and chardet, ~400 KB); the CLI
 * asks with `input`, `select` and `confirm` (--pay) only, so the bundle takes just those packages.
 */
const onlyTheTwoPrompts = {
  name: 'only-input-and-select',
  setup(build) {
    const from = path.dirname(require.resolve('@inquirer/prompts/package.json'));
    build.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: 'prompts', namespace: 'cwb' }));
    build.onLoad({ filter: /^prompts$/, namespace: 'cwb' }, () => ({
      contents:
        "export { default as input } from '@inquirer/input';\nexport { default as select } from '@inquirer/select';\n" +
        "export { default as confirm } from '@inquirer/confirm';\n",
      resolveDir: from,
      loader: 'js',
    }));
  },
};

esbuild
  .build({
    entryPoints: [path.join(ROOT, 'src', 'cli.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifySyntax: true,
    legalComments: 'none',
    plugins: [handlebarsCompilerExternal, onlyTheTwoPrompts],
    logLevel: 'warning',
  })
  .catch(() => process.exit(1));

module.exports = { BUNDLE };
