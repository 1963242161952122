'use strict';
/**
 * The floor of a scaffold, for the bench: Node starts, reads a list of [path, contents] (JSON) and writes
 * those files into ./demo, nothing else: no argument parsing, no templates, no checks.
 * Usage: node write-files.cjs FILES.json
 */
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve('demo');
for (const [relative, contents] of JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))) {
  const full = path.join(root, relative);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, contents, { flag: 'wx' });
}
