import path from 'node:path';
import validateNpmName from 'validate-npm-package-name';
import { UserError } from './errors';

/** Every choice the generator offers; these tuples drive flags, prompts, validation and templates. */
export const DATABASES = ['sqlite', 'postgresql', 'mysql'] as const;
export const SESSION_STORES = ['db', 'redis', 'memory'] as const;
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;
/** Where the project runs: a server with nginx and PM2/systemd, or 微信云托管 (WeChat Cloud Run). */
export const TARGETS = ['vm', 'cloudrun'] as const;

export type Database = (typeof DATABASES)[number];
export type SessionStore = (typeof SESSION_STORES)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];
export type Target = (typeof TARGETS)[number];

/** The validated answers: everything render and the steps need. */
export interface Options {
  projectName: string;
  db: Database;
  sessionStore: SessionStore;
  /** Empty when the user will fill it in `.env` later. */
  appid: string;
  domain: string;
  port: number;
  /** How many app instances the process manager runs and nginx balances. */
  instances: number;
  pm: PackageManager;
  install: boolean;
  git: boolean;
  /** Generate `miniprogram/`, the Mini Program half of login (on unless --no-miniprogram). */
  miniprogram: boolean;
  /** Add WeChat Pay v3 (小程序支付): orders, notifications, refunds (asked; off unless --pay). */
  pay: boolean;
  /** vm: a server behind nginx; cloudrun: 微信云托管 (gateway identity, 开放接口服务, its MySQL). */
  target: Target;
}

/** Answers as they come from flags or prompts: strings, possibly missing. */
export type RawAnswers = { [K in keyof Options]?: Options[K] extends boolean ? boolean : string };

export const DEFAULTS = {
  db: 'sqlite',
  sessionStore: 'db',
  target: 'vm',
  appid: '',
  domain: 'api.example.com',
  port: '3000',
  instances: '2',
} as const;

/** The package manager that ran us (`npm_config_user_agent` is set by npm, pnpm and yarn). */
export function detectPackageManager(userAgent = process.env.npm_config_user_agent ?? ''): PackageManager {
  const name = userAgent.split('/')[0];
  return (PACKAGE_MANAGERS as readonly string[]).includes(name) ? (name as PackageManager) : 'npm';
}

function oneOf<T extends string>(flag: string, choices: readonly T[], value: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  const close = closestChoice(choices, value);
  throw new UserError(`Invalid ${flag} "${value}".`, `${close ? `Did you mean ${close}? ` : ''}Choose one of: ${choices.join(', ')}.`);
}

/**
 * The choice a mistyped value most likely meant ("postgres" → "postgresql", "sqllite" → "sqlite"), as
 * commander suggests a mistyped flag: at most 3 edits (any case), and fewer than 60% of the choice's length.
 */
function closestChoice<T extends string>(choices: readonly T[], value: string): T | undefined {
  let best: { choice: T; distance: number } | undefined;
  for (const choice of choices) {
    const distance = editDistance(choice, value.toLowerCase());
    if (distance <= 3 && distance < choice.length * 0.6 && (!best || distance < best.distance)) best = { choice, distance };
  }
  return best?.choice;
}

/** Levenshtein distance: the fewest single-character insertions, deletions and substitutions from a to b. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** Checks a project name the way npm checks a new package name; returns the problem or null. */
export function projectNameProblem(name: string): string | null {
  if (name.startsWith('@') || name.includes('/') || name.includes('\\')) {
    return 'it must be a plain folder name (no path, no scope)';
  }
  const result = validateNpmName(name);
  if (result.validForNewPackages) return null;
  return [...(result.errors ?? []), ...(result.warnings ?? [])][0] ?? 'it is not a valid npm package name';
}

/** The project's name as a database name (development, test, compose). */
export function databaseName(projectName: string): string {
  return projectName.replace(/[^a-z0-9_]/g, '_');
}

/** A folder name that is no package name ("My API") → a suggestion that is one ("my-api"). */
export function suggestPackageName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return projectNameProblem(name) === null ? name : 'wx-backend';
}

export function validateProjectName(name: string): string {
  const problem = projectNameProblem(name);
  if (problem) {
    throw new UserError(`Invalid project name "${name}": ${problem}.`, 'Use lower-case letters, digits, "-" or "_", e.g. my-wx-backend.');
  }
  return name;
}

/** WeChat AppIDs are "wx" followed by 16 hexadecimal digits. */
export function appidProblem(appid: string): string | null {
  return appid === '' || /^wx[0-9a-f]{16}$/.test(appid) ? null : 'an AppID is "wx" followed by 16 hex digits';
}

/**
 * A host name WeChat accepts as a request domain (compared case-insensitively: pass it lower-cased).
 * WeChat's request domains must be names, never IP addresses, and hold no scheme, port or path.
 */
export function domainProblem(domain: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(domain)) return 'give the host name alone, without "https://" or a path, e.g. api.example.com';
  if (/^\d+(\.\d+){3}$/.test(domain) || domain.startsWith('[')) {
    return 'WeChat request domains must be host names, not IP addresses; point a name such as api.example.com at the server';
  }
  if (/[/:?#@]/.test(domain)) return 'give the host name alone, without a port or path, e.g. api.example.com';
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = domain.split('.');
  return domain.length <= 253 && labels.length >= 2 && labels.every((l) => label.test(l)) && !/^\d+$/.test(labels.at(-1)!)
    ? null
    : 'use a host name such as api.example.com';
}

/** Host names are case-insensitive: keep one spelling everywhere (nginx server_name, README, .env). */
export function normalizeDomain(domain: string): string {
  return domain.trim().toLowerCase();
}

function integer(flag: string, value: string, min: number, max: number): number {
  // "080" is refused rather than read as 80: a leading zero is a typo or an octal habit, not a port.
  const n = /^(0|[1-9]\d*)$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UserError(`Invalid ${flag} "${value}".`, `Use a whole number from ${min} to ${max}, without leading zeros.`);
}

/** Ports nginx itself listens on: an app instance there would collide with it. */
const NGINX_PORTS = [80, 443];

/** The instances listen on port..port+instances-1; none of them may be nginx's own port. */
function checkPorts(port: number, instances: number): void {
  const last = port + instances - 1;
  const taken = NGINX_PORTS.find((p) => p >= port && p <= last);
  if (taken === undefined) return;
  const range = instances === 1 ? `--port ${port}` : `--port ${port} with --instances ${instances} (ports ${port}-${last})`;
  throw new UserError(
    `Invalid ${range}: port ${taken} is nginx's own (HTTP 80, HTTPS 443).`,
    'Choose app ports away from 80 and 443, e.g. --port 3000.',
  );
}

/** Memory sessions live inside one process: a second instance would reject the first one's tokens. */
function checkStoreInstances(sessionStore: SessionStore, instances: number): void {
  if (sessionStore === 'memory' && instances > 1) {
    throw new UserError(
      `--session-store memory keeps sessions inside one process, so it cannot run ${instances} instances.`,
      'Pass --instances 1, or keep several instances with --session-store db or redis.',
    );
  }
}

/**
 * 微信云托管 runs stateless instances that scale out and to zero: a SQLite file or sessions in memory
 * would be lost with an instance, or split between instances.
 */
function checkTarget(target: Target, db: Database, sessionStore: SessionStore): void {
  if (target !== 'cloudrun') return;
  if (db === 'sqlite')
    throw new UserError(
      '--target cloudrun cannot use --db sqlite: Cloud Run instances are stateless and scale out.',
      "Use --db mysql (Cloud Run's own database) or --db postgresql.",
    );
  if (sessionStore === 'memory')
    throw new UserError(
      '--target cloudrun cannot use --session-store memory: Cloud Run instances are stateless and scale out.',
      'Use --session-store db or redis.',
    );
}

function checked(flag: string, value: string, problem: (v: string) => string | null): string {
  const p = problem(value);
  if (p) throw new UserError(`Invalid ${flag} "${value}": ${p}.`);
  return value;
}

/** Fills defaults and validates every answer: the one place that decides what is allowed. */
export function resolveOptions(raw: RawAnswers): Options {
  if (raw.projectName === undefined) throw new UserError('Missing project directory.', 'Run: create-wx-backend <directory>');
  const port = integer('--port', raw.port ?? DEFAULTS.port, 1, 65535 - 16);
  const target = oneOf('--target', TARGETS, raw.target ?? DEFAULTS.target);
  // MySQL is 微信云托管's own database: the default there (SQLite is refused below).
  const db = oneOf('--db', DATABASES, raw.db ?? (target === 'cloudrun' ? 'mysql' : DEFAULTS.db));
  const sessionStore = oneOf('--session-store', SESSION_STORES, raw.sessionStore ?? DEFAULTS.sessionStore);
  checkTarget(target, db, sessionStore);
  // One instance is the memory store's default; an explicit --instances above 1 is refused below.
  const instances = integer('--instances', raw.instances ?? (sessionStore === 'memory' ? '1' : DEFAULTS.instances), 1, 16);
  checkStoreInstances(sessionStore, instances);
  checkPorts(port, instances);
  return {
    projectName: validateProjectName(raw.projectName),
    db,
    sessionStore,
    appid: checked('--appid', raw.appid ?? DEFAULTS.appid, appidProblem),
    domain: checked('--domain', normalizeDomain(raw.domain ?? DEFAULTS.domain), domainProblem),
    port,
    instances,
    pm: oneOf('--pm', PACKAGE_MANAGERS, raw.pm ?? detectPackageManager()),
    install: raw.install ?? true,
    git: raw.git ?? true,
    miniprogram: raw.miniprogram ?? true,
    pay: raw.pay ?? false,
    target,
  };
}

/**
 * The directory argument → where to write and what to call the project. Like create-vite: a path
 * (`apps/api`, `/srv/api`, `.`) is taken as given and the package is named after its last segment,
 * unless `name` (--name) says otherwise. `projectName` is undefined when "." (or a path) ends in a
 * folder whose name is no valid package name and no --name was given: the caller asks or refuses.
 */
export function resolveTarget(dirArg: string, cwd = process.cwd(), name?: string): { targetDir: string; projectName?: string } {
  const targetDir = path.resolve(cwd, dirArg);
  if (name !== undefined) return { targetDir, projectName: validateProjectName(name) };
  const segment = path.basename(targetDir);
  const isPath = dirArg === '.' || dirArg.includes('/') || dirArg.includes(path.sep) || path.isAbsolute(dirArg);
  // A bare name is the project name: check it as typed ("..", ".hidden" and "My App" are refused).
  if (!isPath) {
    const problem = projectNameProblem(dirArg);
    if (problem === null) return { targetDir, projectName: dirArg };
    const suggestion = suggestPackageName(dirArg);
    throw new UserError(
      `Invalid project name "${dirArg}": ${problem}.`,
      `Use a folder name such as ${suggestion}, or keep this folder name and name the package with --name ${suggestion}.`,
    );
  }
  return { targetDir, projectName: projectNameProblem(segment) === null ? segment : undefined };
}
