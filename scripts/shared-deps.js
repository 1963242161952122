#!/usr/bin/env node
'use strict';
/**
 * Writes DIR/package.json holding the union of every generated project's pinned dependencies, so that
 * one `npm install` in DIR serves all combinations (projects generated below DIR resolve from it).
 * Usage: node scripts/shared-deps.js DIR   (needs `npm run build` first)
 */
const fs = require('node:fs');
const path = require('node:path');
const { packageJson } = require('../dist/package-json');
const { resolveOptions, DATABASES, SESSION_STORES } = require('../dist/options');

const dir = process.argv[2];
if (!dir) throw new Error('usage: shared-deps.js DIR');
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
const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
if (changed) fs.writeFileSync(file, text);
console.log(changed ? 'changed' : 'unchanged');
