#!/usr/bin/env node
'use strict';
/**
 * One install for every generated project: writes DIR/package.json holding the union of every
 * combination's pinned dependencies and, with --install, runs `npm install` there when that union
 * changed (or was never installed, or was installed by another Node major). Projects generated below
 * DIR resolve their packages from it. The install runs on Node 22 from .tmp/toolchains (.ci/toolchains
 * puts it there), the Node the generated projects are tested on: whatever Node runs this script.
 * Used by the e2e tests and by `npm run bench`. Needs `npm run build` first.
 * Usage: node scripts/shared-deps.js DIR [--install]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { packageJson } = require('../dist/package-json');
const { resolveOptions, DATABASES, SESSION_STORES } = require('../dist/options');
const { E2E_NODE, nodeEnv } = require('./toolchains');

const [dir, flag] = process.argv.slice(2);
if (!dir) throw new Error('usage: shared-deps.js DIR [--install]');
const all = {};
const overrides = {};
for (const db of DATABASES) {
  for (const sessionStore of SESSION_STORES) {
    const pkg = packageJson(resolveOptions({ projectName: 'x', db, sessionStore, pm: 'npm' }));
    Object.assign(all, pkg.dependencies, pkg.devDependencies);
    Object.assign(overrides, pkg.overrides);
  }
}
const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
const text = `${JSON.stringify({ name: 'cwb-shared-deps', private: true, dependencies: sorted, overrides }, null, 2)}\n`;
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'package.json');
const stamp = path.join(dir, 'node_modules', '.cwb-installed');
const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
if (changed) fs.writeFileSync(file, text);

const env = nodeEnv(E2E_NODE);
const node = spawnSync('node', ['--version'], { env, encoding: 'utf8' }).stdout.trim();
// A native module is built for one Node major: an install stamped by another one is redone from scratch
// (removing, not rewriting, files: a copy made with `cp -al` shares them with its original).
const stampedBy = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8').split(' ')[0] : null;
const sameMajor = stampedBy !== null && stampedBy.split('.')[0] === node.split('.')[0];
if (flag === '--install' && (changed || !sameMajor)) {
  process.stdout.write(`installing the generated projects' dependencies once, on Node ${node}, in ${dir}\n`);
  if (!sameMajor) fs.rmSync(path.join(dir, 'node_modules'), { recursive: true, force: true });
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit', env });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, `${node} ${new Date().toISOString()}`);
} else {
  process.stdout.write(`${dir}: ${changed ? 'changed' : 'up to date'}\n`);
}
