import type Handlebars from 'handlebars';
import type { Options } from './options';
import { templateContext } from './context';
import { packageJson } from './package-json';
import { sortedByPath } from './sorted';

/** A `.hbs` template compiled at build time: the spec `Handlebars.precompile` made from its text. */
export interface PrecompiledTemplate {
  readonly spec: TemplateSpecification;
}
export type TemplateSpecification = ReturnType<typeof Handlebars.precompile>;
/** Template path (posix, relative to templates/) → its text, or for a `.hbs` file its precompiled form. */
export type Templates = ReadonlyMap<string, string | PrecompiledTemplate>;
/** Generated path (posix, relative to the project) → its contents, sorted by path. */
export type FileMap = ReadonlyMap<string, string>;

/** The template folders that make up a project: the base, then one per chosen feature. */
export function templateLayers(o: Options): string[] {
  return [
    'base',
    `db-${o.db}`,
    `store-${o.sessionStore}`,
    ...(o.miniprogram ? ['miniprogram'] : []),
    // pay, its tables in the chosen database's dialect, and its Mini Program half when there is one: a
    // folder named `a+b` holds what two choices need together
    ...(o.pay ? ['pay', `pay+db-${o.db}`, ...(o.miniprogram ? ['pay+miniprogram'] : [])] : []),
    // where it runs: a server, or 微信云托管 (with its MySQL settings when the database is MySQL)
    `target-${o.target}`,
    ...(o.target === 'cloudrun' && o.db === 'mysql' ? ['target-cloudrun+db-mysql'] : []),
    ...(o.target === 'cloudrun' && o.miniprogram ? ['target-cloudrun+miniprogram'] : []),
    ...(o.pm === 'npm' ? [] : [`pm-${o.pm}`]),
  ];
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
  _yarnrc: '.yarnrc',
  _dockerignore: '.dockerignore',
};

/** `_gitignore` → `.gitignore`, `x.ts.hbs` → `x.ts`. */
export function outputPath(templatePath: string): string {
  return templatePath
    .replace(/\.hbs$/, '')
    .split('/')
    .map((segment) => DOTFILE_RENAMES[segment] ?? segment)
    .join('/');
}

/** The options every template is compiled with, at build time and at run time alike. */
export const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

/**
 * An isolated handlebars instance (no helper leaks into, or from, the global one). Precompiled templates
 * need only the runtime (a fraction of the load time); the full compiler is loaded only when a template
 * comes as text.
 */
function handlebars(full: boolean): typeof Handlebars {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const hb = (full ? (require('handlebars') as typeof Handlebars) : (require('handlebars/runtime') as typeof Handlebars)).create();
  hb.registerHelper('join', (items: unknown[], sep: string) => items.join(typeof sep === 'string' ? sep : ', '));
  return hb;
}

/** Template text → its output for `context`, compiled now or at build time. */
function renderTemplate(hb: typeof Handlebars, template: string | PrecompiledTemplate, context: object): string {
  const compiled = typeof template === 'string' ? hb.compile(template, COMPILE_OPTIONS) : hb.template(template.spec);
  return compiled(context);
}

/**
 * Renders the project for these options: pure and deterministic (no clock, no randomness, no disk),
 * so the same options always give the same, sorted file map.
 */
export function render(options: Options, templates: Templates): FileMap {
  const context = templateContext(options);
  const layers = new Set(templateLayers(options));
  const chosen = [...templates].filter(([templatePath]) => layers.has(templatePath.split('/')[0]));
  const hb = handlebars(chosen.some(([p, t]) => p.endsWith('.hbs') && typeof t === 'string'));
  const files = new Map<string, string>();
  for (const [templatePath, template] of chosen) {
    const [layer, ...rest] = templatePath.split('/');
    const target = outputPath(rest.join('/'));
    if (files.has(target)) throw new Error(`Two templates write ${target} (layer ${layer})`);
    if (templatePath.endsWith('.hbs')) files.set(target, renderTemplate(hb, template, context));
    else if (typeof template === 'string') files.set(target, template);
    else throw new Error(`${templatePath} is not a .hbs template but came precompiled`);
  }
  files.set('package.json', `${JSON.stringify(packageJson(options), null, 2)}\n`);
  return new Map(sortedByPath(files));
}
