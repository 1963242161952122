import path from 'node:path';
import { Command, Option } from 'commander';
import { UserError } from './errors';
import { generate } from './generate';
import {
  DATABASES,
  DEFAULTS,
  PACKAGE_MANAGERS,
  SESSION_STORES,
  detectPackageManager,
  projectNameProblem,
  resolveOptions,
  resolveTarget,
  type Options,
  type RawAnswers,
} from './options';
import { NODE_ENGINES, nodeSupported } from './project-rules';
import type { promptMissing as PromptMissing } from './prompts';
import { gitIdentityKnown, insideGitRepo, nodeOnPath, plannedSteps, runScript, runSteps, shellLine } from './steps';
import { bold, cyan, green, red, dim, seconds, yellow } from './ui';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

interface Flags {
  db?: string;
  sessionStore?: string;
  appid?: string;
  domain?: string;
  port?: string;
  instances?: string;
  pm?: string;
  name?: string;
  install: boolean;
  git: boolean;
  miniprogram: boolean;
  yes?: boolean;
}

function program(): Command {
  const withDefault = (text: string, value: string) => `${text} (default: ${value === '' ? 'empty' : value})`;
  return new Command('create-wx-backend')
    .description('Scaffold a Koa + Prisma backend for a WeChat Mini Program: WeChat login, JWT sessions, HTTPS nginx.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .argument(
      '[directory]',
      'the folder to create: a name, a path (apps/api, /srv/api) or "." for the current folder; its last segment names the package',
    )
    .addOption(
      new Option(
        '--name <package>',
        "package name, when it should differ from the folder's name (default: the last segment of <directory>)",
      ),
    )
    .addOption(new Option('--db <database>', withDefault(`database: ${DATABASES.join(' | ')}`, DEFAULTS.db)))
    .addOption(
      new Option('--session-store <store>', withDefault(`where sessions live: ${SESSION_STORES.join(' | ')}`, DEFAULTS.sessionStore)),
    )
    .addOption(new Option('--appid <appid>', withDefault('Mini Program AppID (wx + 16 hex digits)', DEFAULTS.appid)))
    .addOption(new Option('--domain <host>', withDefault('API domain for the nginx HTTPS config', DEFAULTS.domain)))
    .addOption(
      new Option(
        '--port <port>',
        withDefault('port of the first app instance; instances use port..port+n-1, never 80 or 443', DEFAULTS.port),
      ),
    )
    .addOption(
      new Option('--instances <n>', withDefault('app instances behind nginx', `${DEFAULTS.instances}; 1 with --session-store memory`)),
    )
    .addOption(
      new Option(
        '--pm <manager>',
        withDefault(`package manager: ${PACKAGE_MANAGERS.join(' | ')}`, `detected, now ${detectPackageManager()}`),
      ),
    )
    .option('--no-install', 'skip installing dependencies and generating the Prisma client (default: install)')
    .option('--no-git', 'skip git init and the first commit (default: git)')
    .option('--no-miniprogram', 'skip miniprogram/, the Mini Program half of login (default: generate it)')
    .option('-y, --yes', 'take the defaults for everything not given; no questions (also without a TTY or with CI=true)')
    .configureHelp({ helpWidth: 110 })
    .showHelpAfterError('(run create-wx-backend --help for usage)');
}

/** The prompt library takes ~35 ms to load: only load it when there is someone to ask. */
function loadPrompts(): typeof PromptMissing {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./prompts') as typeof import('./prompts')).promptMissing;
}

/** Questions only when someone can answer them. */
function interactive(flags: Flags): boolean {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  return !flags.yes && !ci && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

function nextSteps(o: Options, targetDir: string, leftToRun: string[][]): string {
  const run = (script: string) => shellLine(runScript(o.pm, script));
  const relative = path.relative(process.cwd(), targetDir);
  // never "cd ." (already there); a folder outside this one is named by its absolute path
  const lines = relative === '' ? [] : [`cd ${shellLine([relative.startsWith('..') ? targetDir : relative])}`];
  const todo = o.install ? leftToRun.map(shellLine) : [`${o.pm} install`, run('db:generate'), ...leftToRun.map(shellLine)];
  lines.push(...todo.filter((c, i) => todo.indexOf(c) === i));
  lines.push(`${run('dev:mock')}    ${dim('# try login now, against a local fake WeChat API')}`);
  const appid = o.appid ? 'WX_SECRET' : 'WX_APPID and WX_SECRET';
  lines.push(`${dim(`# then set ${appid} in .env,`)}`, run('db:migrate'), run('dev'));
  return lines.map((l) => `  ${l}`).join('\n');
}

/** A folder name that is no package name ("My API") → a suggestion that is one ("my-api"). */
function suggestName(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return projectNameProblem(name) === null ? name : 'wx-backend';
}

/**
 * Installing runs `node` from PATH, which must be a Node the project supports (engines). yarn refuses
 * to install on any other (a Prisma dependency declares node >= 22), so that is refused before
 * anything is written; npm and pnpm install there with a warning, which we repeat in one line.
 */
function checkNodeForInstall(pm: string): void {
  const version = nodeOnPath();
  if (version === null || nodeSupported(version)) return;
  if (pm === 'yarn') {
    throw new UserError(
      `yarn cannot install this project on Node ${version}: it needs Node ${NODE_ENGINES} (engines).`,
      'Switch to Node 22 or 24 and run again, or pass --no-install to write the files only.',
    );
  }
  console.log(yellow(`! Node ${version} is not one the project supports (Node ${NODE_ENGINES}); ${pm} installs it anyway.`));
}

/** The whole run: flags → answers → options → files → optional steps → next steps. */
async function main(argv: string[]): Promise<number> {
  const cmd = program();
  cmd.parse(argv);
  const flags = cmd.opts<Flags>();
  const dirArg = cmd.args[0];

  // 1. answers: flags first, then questions for the rest (or defaults)
  const given: RawAnswers = {
    db: flags.db,
    sessionStore: flags.sessionStore,
    appid: flags.appid,
    domain: flags.domain,
    port: flags.port,
    instances: flags.instances,
    pm: flags.pm,
    install: flags.install,
    git: flags.git,
    miniprogram: flags.miniprogram,
    projectName: flags.name,
  };
  const ask = interactive(flags);
  let targetDir: string | undefined;
  let suggested: string | undefined;
  if (dirArg !== undefined) {
    ({ targetDir, projectName: given.projectName } = resolveTarget(dirArg, process.cwd(), flags.name));
    if (given.projectName === undefined) {
      const folder = path.basename(targetDir);
      if (!ask) {
        throw new UserError(
          `The folder name "${folder}" is not a valid package name: ${projectNameProblem(folder)}.`,
          `Pass a package name with --name, e.g. --name ${suggestName(folder)}.`,
        );
      }
      suggested = suggestName(folder);
    }
  }
  // refuse bad flags before asking anything
  const early = resolveOptions({ ...given, projectName: given.projectName ?? 'placeholder' });
  if (early.install) checkNodeForInstall(early.pm);
  const answers = ask ? await loadPrompts()(given, suggested) : given;
  const options = resolveOptions(answers);
  targetDir ??= path.resolve(options.projectName);

  // 2. render and write: all or nothing (timed from here: the questions are the user's time, not ours)
  const started = Date.now();
  const written = generate(options, targetDir);
  console.log(
    `${green('✔')} Created ${bold(options.projectName)} ${dim(`(${written.length} files, ${options.db}, sessions in ${options.sessionStore}) in ${seconds(Date.now() - started)}`)}`,
  );

  // 3. optional steps; a failure keeps the files and says what is left to run
  // git is only asked when git is wanted (each question is a process: ~10 ms).
  const inGitRepo = options.git && insideGitRepo(targetDir);
  if (inGitRepo) console.log(dim('  Inside an existing git repository: no git init, no commit.'));
  const steps = plannedSteps(options, { inGitRepo, gitIdentity: options.git && !inGitRepo && gitIdentityKnown(targetDir) });
  const { leftToRun, cancelled } = await runSteps(steps, targetDir);

  if (cancelled) {
    console.error(`${red('✖')} Operation cancelled`);
    console.log(`\n${bold('Your files are all there. To finish, run:')}\n${nextSteps(options, targetDir, leftToRun)}`);
    return 130;
  }
  console.log(
    `\n${bold('Next steps:')}\n${nextSteps(options, targetDir, leftToRun)}\n\n${dim('See README.md for the Mini Program side and HTTPS deployment.')}`,
  );
  return leftToRun.length > 0 ? 1 : 0;
}

/** Entry point for the bin shim: maps every outcome to a message and an exit code. */
export function run(argv = process.argv): Promise<void> {
  return main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      if (err instanceof Error && err.name === 'ExitPromptError') {
        console.error(`${red('✖')} Operation cancelled`);
        process.exitCode = 130;
      } else if (err instanceof UserError) {
        console.error(red(`✖ ${err.message}`));
        if (err.hint) console.error(cyan(err.hint));
        process.exitCode = 1;
      } else {
        console.error(err instanceof Error ? err.stack : err);
        process.exitCode = 1;
      }
    },
  );
}
