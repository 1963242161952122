import { confirm, input, select } from '@inquirer/prompts';
import {
  DATABASES,
  DEFAULTS,
  SESSION_STORES,
  TARGETS,
  appidProblem,
  domainProblem,
  normalizeDomain,
  projectNameProblem,
  type RawAnswers,
} from './options';

const DATABASE_LABELS: Record<(typeof DATABASES)[number], string> = {
  sqlite: 'SQLite (embedded, nothing to install)',
  postgresql: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
};
const TARGET_LABELS: Record<(typeof TARGETS)[number], string> = {
  vm: 'a server: nginx, PM2 or systemd (default)',
  cloudrun: '微信云托管 (WeChat Cloud Run)',
};
const STORE_LABELS: Record<(typeof SESSION_STORES)[number], string> = {
  db: 'the database (default)',
  redis: 'Redis (several instances share sessions)',
  memory: 'memory (one process; sessions end on restart)',
};

const validator = (problem: (v: string) => string | null) => (v: string) => problem(v.trim()) ?? true;

/**
 * Asks only for what the flags did not give; validation messages come from options.ts. `suggestedName`
 * is offered when the target folder is known but its name is no valid package name.
 */
export async function promptMissing(given: RawAnswers, suggestedName?: string): Promise<RawAnswers> {
  const answers = { ...given };
  answers.projectName ??= (
    await input({
      message: suggestedName ? "Package name (the folder's name is not a valid one):" : 'Project name:',
      default: suggestedName ?? 'wx-backend',
      validate: validator(projectNameProblem),
    })
  ).trim();
  answers.target ??= await select({
    message: 'Where will it run?',
    default: DEFAULTS.target,
    choices: TARGETS.map((value) => ({ value, name: TARGET_LABELS[value] })),
  });
  // Cloud Run's instances are stateless: no SQLite file, no sessions in memory (options.ts refuses them).
  const stateless = answers.target === 'cloudrun';
  answers.db ??= await select({
    message: 'Database:',
    default: stateless ? 'mysql' : DEFAULTS.db,
    choices: DATABASES.filter((d) => !stateless || d !== 'sqlite').map((value) => ({ value, name: DATABASE_LABELS[value] })),
  });
  answers.sessionStore ??= await select({
    message: 'Where do sessions live?',
    default: DEFAULTS.sessionStore,
    choices: SESSION_STORES.filter((st) => !stateless || st !== 'memory').map((value) => ({ value, name: STORE_LABELS[value] })),
  });
  answers.appid ??= (
    await input({ message: 'Mini Program AppID (empty: fill in .env later):', default: DEFAULTS.appid, validate: validator(appidProblem) })
  ).trim();
  answers.domain ??= (
    await input({
      message: 'API domain (for the HTTPS nginx config):',
      default: DEFAULTS.domain,
      validate: (v) => domainProblem(normalizeDomain(v)) ?? true,
    })
  ).trim();
  answers.pay ??= await confirm({ message: 'Add WeChat Pay (小程序支付)?', default: false });
  return answers;
}
