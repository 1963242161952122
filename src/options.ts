import path from 'node:path';
import validateNpmName from 'validate-npm-package-name';
import { UserError } from './errors';

/** Every choice the generator offers; these tuples drive flags, prompts, validation and templates. */
export const DATABASES = ['sqlite', 'postgresql', 'mysql'] as const;
export const SESSION_STORES = ['db', 'redis', 'memory'] as const;
export const PACKAGE_MANAGERS = ['npm', 'pnpm', 'yarn'] as const;

export type Database = (typeof DATABASES)[number];
export type SessionStore = (typeof SESSION_STORES)[number];
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

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
}

/** Answers as they come from flags or prompts: strings, possibly missing. */
export type RawAnswers = Partial<Record<Exclude<keyof Options, 'install' | 'git' | 'miniprogram'>, string>> & {
  install?: boolean;
  git?: boolean;
  miniprogram?: boolean;
};

export const DEFAULTS = {
  db: 'sqlite',
  sessionStore: 'db',
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
  throw new UserError(`Invalid ${flag} "${value}".`, `Choose one of: ${choices.join(', ')}.`);
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

export function domainProblem(domain: string): string | null {
  const label = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
  const labels = domain.split('.');
  return domain.length <= 253 && labels.length >= 2 && labels.every((l) => label.test(l))
    ? null
    : 'use a lower-case host name such as api.example.com';
}

function integer(flag: string, value: string, min: number, max: number): number {
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  throw new UserError(`Invalid ${flag} "${value}".`, `Use a whole number from ${min} to ${max}.`);
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
  return {
    projectName: validateProjectName(raw.projectName),
    db: oneOf('--db', DATABASES, raw.db ?? DEFAULTS.db),
    sessionStore: oneOf('--session-store', SESSION_STORES, raw.sessionStore ?? DEFAULTS.sessionStore),
    appid: checked('--appid', raw.appid ?? DEFAULTS.appid, appidProblem),
    domain: checked('--domain', raw.domain ?? DEFAULTS.domain, domainProblem),
    port,
    instances: integer('--instances', raw.instances ?? DEFAULTS.instances, 1, 16),
    pm: oneOf('--pm', PACKAGE_MANAGERS, raw.pm ?? detectPackageManager()),
    install: raw.install ?? true,
    git: raw.git ?? true,
    miniprogram: raw.miniprogram ?? true,
  };
}

/** The directory argument → where to write and what to call the project ("." means here). */
export function resolveTarget(dirArg: string, cwd = process.cwd()): { targetDir: string; projectName: string } {
  if (dirArg === '.') return { targetDir: cwd, projectName: path.basename(cwd) };
  validateProjectName(dirArg);
  return { targetDir: path.resolve(cwd, dirArg), projectName: dirArg };
}
