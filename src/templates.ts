import fs from 'node:fs';
import path from 'node:path';
import type { Templates } from './render';
import { sortedByPath } from './sorted';

/** Where the templates ship: beside dist/ and src/ in the package. */
export const TEMPLATES_DIR = path.resolve(__dirname, '..', 'templates');

/**
 * Written by `npm run build` (scripts/precompile-templates.js): every template in one module, the
 * `.hbs` ones already compiled by handlebars. Loading it reads one file and needs only
 * `handlebars/runtime`, instead of reading every file and compiling each template on every run.
 */
export const PRECOMPILED_TEMPLATES = path.join(__dirname, 'templates.precompiled.js');

/**
 * The templates to render: the precompiled module when the build made one, else the template files.
 * With a `dir`, always that folder's files (tests, or templates being edited).
 */
export function loadTemplates(dir?: string): Templates {
  if (dir === undefined && fs.existsSync(PRECOMPILED_TEMPLATES)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return new Map(require(PRECOMPILED_TEMPLATES) as Array<[string, Templates extends ReadonlyMap<string, infer T> ? T : never]>);
  }
  return readTemplates(dir ?? TEMPLATES_DIR);
}

/** Reads every template file into memory, keyed by its posix path relative to `dir`, sorted. */
export function readTemplates(dir: string): Templates {
  const templates = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    templates.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return new Map(sortedByPath(templates));
}
