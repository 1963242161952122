import Handlebars from 'handlebars';
import type { Options } from './options';
import { templateContext } from './context';
import { packageJson } from './package-json';

/** Template path (posix, relative to templates/) → its text. */
export type Templates = ReadonlyMap<string, string>;
/** Generated path (posix, relative to the project) → its contents, sorted by path. */
export type FileMap = ReadonlyMap<string, string>;

/** The template folders that make up a project: the base, then one per chosen feature. */
export function templateLayers(o: Options): string[] {
  return ['base', `db-${o.db}`, `store-${o.sessionStore}`, ...(o.miniprogram ? ['miniprogram'] : [])];
}

/**
 * Template names of files whose real name starts with a dot (create-vite's map): stored without the dot
 * so that ignore rules and tools leave the templates alone. Only these are renamed, so `__tests__` or
 * `_app.ts` keep their names.
 */
export const DOTFILE_RENAMES: Readonly<Record<string, string>> = {
  _gitignore: '.gitignore',
  '_env.example': '.env.example',
  _prettierrc: '.prettierrc',
  _prettierignore: '.prettierignore',
  _github: '.github',
  _npmrc: '.npmrc',
};

/** `_gitignore` → `.gitignore`, `x.ts.hbs` → `x.ts`. */
export function outputPath(templatePath: string): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => DOTFILE_RENAMES[segment] ?? segment)
    .join('/');
}

function handlebars(): typeof Handlebars {
  const hb = Handlebars.create(); // isolated: no helper leaks into, or from, the global instance
  hb.registerHelper('join', (items: unknown[], sep: string) => items.join(typeof sep === 'string' ? sep : ', '));
  return hb;
}

/**
 * Renders the project for these options: pure and deterministic (no clock, no randomness, no disk),
 * so the same options always give the same, sorted file map.
 */
export function render(options: Options, templates: Templates): FileMap {
  const hb = handlebars();
  const context = templateContext(options);
  const layers = new Set(templateLayers(options));
  const files = new Map<string, string>();
  for (const [templatePath, text] of templates) {
    const [layer, ...rest] = templatePath.split('/');
    if (!layers.has(layer)) continue;
    const target = outputPath(rest.join('/'));
    if (files.has(target)) throw new Error(`Two templates write ${target} (layer ${layer})`);
    const contents = templatePath.endsWith('.hbs')
      ? hb.compile(text, { noEscape: true, strict: true })(context)
      : text;
    files.set(target, contents);
  }
  files.set('package.json', `${JSON.stringify(packageJson(options), null, 2)}\n`);
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
