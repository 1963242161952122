import fs from 'node:fs';
import path from 'node:path';
import type { Templates } from './render';

/** Where the templates ship: beside dist/ and src/ in the package. */
export const TEMPLATES_DIR = path.resolve(__dirname, '..', 'templates');

/** Reads every template file into memory, keyed by its posix path relative to `dir`. */
export function loadTemplates(dir = TEMPLATES_DIR): Templates {
  const templates = new Map<string, string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    templates.set(path.relative(dir, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
  }
  return templates;
}
