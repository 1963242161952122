import fs from 'node:fs';
import path from 'node:path';

/**
 * Imported first by every entry point (server, dev:mock, the tests' set-up): on a Node that package.json's
 * `engines` does not admit, stop with one line instead of crashing inside a native module (better-sqlite3
 * 13 dies with a segmentation fault on Node 20, before anything is logged).
 */

/** Whether `version` (`v22.12.0`) is inside `engines` (`^22.12 || ^24.0`: caret ranges, as generated). */
export function nodeSupported(engines: string, version: string): boolean {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  return engines.split('||').some((range) => {
    const caret = /^\s*\^(\d+)\.(\d+)/.exec(range);
    return caret !== null && Number(caret[1]) === major && minor >= Number(caret[2]);
  });
}

// src/platform and dist/platform both sit two folders below package.json
const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { engines?: { node?: string } };
const engines = pkg.engines?.node;
if (engines && !nodeSupported(engines, process.version)) {
  console.error(
    `This project runs on Node ${engines} (package.json "engines"), not ${process.version}: install Node 22 or 24 and run it again.`,
  );
  process.exit(1);
}
