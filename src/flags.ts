import { Option } from 'commander';
import { DATABASES, DEFAULTS, PACKAGE_MANAGERS, SESSION_STORES, TARGETS, detectPackageManager, type RawAnswers } from './options';

/**
 * One answer the command line can give: its flag, its help and the default --help shows. Adding an
 * option to the CLI is one row here (its rule and default live in options.ts, its question in prompts.ts).
 */
export interface Flag {
  /** The answer this flag fills. */
  answer: keyof RawAnswers;
  /** Commander's spelling: `--db <database>`, or `--no-git` for a switch that is on by default. */
  flags: string;
  help: string;
  /** Shown as "(default: …)"; an empty string reads "empty". */
  shownDefault?: string;
  /** For a `--x` switch that is asked: `--no-x` answers no without asking, with this help. */
  noHelp?: string;
}

export const FLAGS: readonly Flag[] = [
  {
    answer: 'projectName',
    flags: '--name <package>',
    help: "package name, when it should differ from the folder's name (default: the last segment of <directory>)",
  },
  {
    answer: 'target',
    flags: '--target <target>',
    help: `where it runs: ${TARGETS.join(' | ')} (a server with nginx and PM2/systemd, or 微信云托管 WeChat Cloud Run)`,
    shownDefault: DEFAULTS.target,
  },
  { answer: 'db', flags: '--db <database>', help: `database: ${DATABASES.join(' | ')}`, shownDefault: DEFAULTS.db },
  {
    answer: 'sessionStore',
    flags: '--session-store <store>',
    help: `where sessions live: ${SESSION_STORES.join(' | ')}`,
    shownDefault: DEFAULTS.sessionStore,
  },
  { answer: 'appid', flags: '--appid <appid>', help: 'Mini Program AppID (wx + 16 hex digits)', shownDefault: DEFAULTS.appid },
  { answer: 'domain', flags: '--domain <host>', help: 'API domain for the nginx HTTPS config', shownDefault: DEFAULTS.domain },
  {
    answer: 'port',
    flags: '--port <port>',
    help: 'port of the first app instance; instances use port..port+n-1, never 80 or 443',
    shownDefault: DEFAULTS.port,
  },
  {
    answer: 'instances',
    flags: '--instances <n>',
    help: 'app instances behind nginx',
    shownDefault: `${DEFAULTS.instances}; 1 with --session-store memory`,
  },
  {
    answer: 'pm',
    flags: '--pm <manager>',
    help: `package manager: ${PACKAGE_MANAGERS.join(' | ')}`,
    shownDefault: `detected, now ${detectPackageManager()}`,
  },
  {
    answer: 'install',
    flags: '--no-install',
    help: 'skip installing dependencies and generating the Prisma client',
    shownDefault: 'install',
  },
  { answer: 'git', flags: '--no-git', help: 'skip git init and the first commit', shownDefault: 'git' },
  {
    answer: 'miniprogram',
    flags: '--no-miniprogram',
    help: 'skip miniprogram/, the Mini Program half of login',
    shownDefault: 'generate it',
  },
  {
    answer: 'pay',
    flags: '--pay',
    help: 'add WeChat Pay v3 (小程序支付): orders, notifications, refunds',
    shownDefault: 'asked; off with --yes',
    noHelp: 'no WeChat Pay, without asking',
  },
];

/** The commander options of the table, in its order. */
export function flagOptions(flags: readonly Flag[] = FLAGS): Option[] {
  return flags.flatMap((f) => {
    const shown = f.shownDefault === undefined ? '' : ` (default: ${f.shownDefault === '' ? 'empty' : f.shownDefault})`;
    const option = new Option(f.flags, `${f.help}${shown}`);
    return f.noHelp ? [option, new Option(`--no-${option.attributeName()}`, f.noHelp)] : [option];
  });
}

/** What the parsed flags answer (commander's values, keyed by the answers they fill). */
export function answersFromFlags(values: Record<string, unknown>, flags: readonly Flag[] = FLAGS): RawAnswers {
  return Object.fromEntries(flags.map((f) => [f.answer, values[new Option(f.flags).attributeName()]])) as RawAnswers;
}
