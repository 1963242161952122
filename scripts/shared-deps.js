#!/usr/bin/env node
'use strict';
/**
 * One install for every generated project: writes DIR/package.json holding the union of every
 * combination's pinned dependencies and, with --install, runs `npm install` there when that union
 * changed (or was never installed). Projects generated below DIR resolve their packages from it.
 * Used by the e2e tests and by `npm run bench`. Needs `npm run build` first.
 * Usage: node scripts/shared-deps.js DIR [--install]
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { packageJson } = require('../dist/package-json');
const { resolveOptions, DATABASES, SESSION_STORES } = require('../dist/options');

const [dir, flag] = process.argv.slice(2);
if (!dir) throw new Error('usage: shared-deps.js DIR [--install]');
const all = {};
for (const db of DATABASES) {
  for (const sessionStore of SESSION_STORES) {
    const pkg = packageJson(resolveOptions({ projectName: 'x', db, sessionStore, pm: 'npm' }));
    Object.assign(all, pkg.dependencies, pkg.devDependencies);
  }
}
const sorted = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
const text = `${JSON.stringify({ name: 'cwb-shared-deps', private: true, dependencies: sorted }, null, 2)}\n`;
fs.mkdirSync(dir, { recursive: true });
const file = path.join(dir, 'package.json');
const stamp = path.join(dir, 'node_modules', '.cwb-installed');
const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
if (changed) fs.writeFileSync(file, text);

if (flag === '--install' && (changed || !fs.existsSync(stamp))) {
  process.stdout.write(`installing the generated projects' dependencies once, in ${dir}\n`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  fs.writeFileSync(stamp, new Date().toISOString());
} else {
  process.stdout.write(`${dir}: ${changed ? 'changed' : 'up to date'}\n`);
}
