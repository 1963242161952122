import path from 'node:path';
import { Command } from 'commander';
import { consoleDomains } from './context';
import { UserError } from './errors';
import { answersFromFlags, flagOptions } from './flags';
import { generate } from './generate';
import { projectNameProblem, resolveOptions, resolveTarget, suggestPackageName, type Options } from './options';
import { NODE_ENGINES, nodeSupported } from './project-rules';
import type { promptMissing as PromptMissing } from './prompts';
import { gitIdentityKnown, insideGitRepo, nodeOnPath, plannedSteps, runScript, runSteps, shellLine } from './steps';
import { bold, cyan, green, red, dim, seconds, yellow } from './ui';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require('../package.json') as { version: string };

function program(): Command {
  const cmd = new Command('create-wx-backend')
    .description('Scaffold a Koa + Prisma backend for a WeChat Mini Program: WeChat login, JWT sessions, HTTPS nginx.')
    .version(version, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show this help')
    .argument(
      '[directory]',
      'the folder to create: a name, a path (apps/api, /srv/api) or "." for the current folder; its last segment names the package',
    );
  for (const option of flagOptions()) cmd.addOption(option);
  return cmd
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
function interactive(yes: boolean): boolean {
  const ci = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';
  return !yes && !ci && process.stdin.isTTY === true && process.stdout.isTTY === true;
}

/** The target as the user sees it from here: relative inside this folder, absolute outside, '' for this folder. */
function shownDir(targetDir: string): string {
  const relative = path.relative(process.cwd(), targetDir);
  return relative.startsWith('..') ? targetDir : relative;
}

/** "demo", or "folder Bad_Name, package bad-name" when --name (or a question) named the package otherwise. */
function created(targetDir: string, projectName: string): string {
  const folder = shownDir(targetDir) || path.basename(targetDir);
  return folder === projectName ? projectName : `folder ${folder}, package ${projectName}`;
}

function nextSteps(o: Options, targetDir: string, leftToRun: string[][]): string {
  const run = (script: string) => shellLine(runScript(o.pm, script));
  // never "cd ." (already there); a folder outside this one is named by its absolute path
  const dir = shownDir(targetDir);
  const lines = dir === '' ? [] : [`cd ${shellLine([dir])}`];
  const todo = o.install ? leftToRun.map(shellLine) : [`${o.pm} install`, run('db:generate'), ...leftToRun.map(shellLine)];
  lines.push(...todo.filter((c, i) => todo.indexOf(c) === i));
  lines.push(`${run('dev:mock')}    ${dim('# try login now, against a local fake WeChat API')}`);
  const appid = o.appid ? 'WX_SECRET' : 'WX_APPID and WX_SECRET';
  lines.push(`${dim(`# then set ${appid} in .env,`)}`, run('db:migrate'), run('dev'));
  return lines.map((l) => `  ${l}`).join('\n');
}

/** The server domains to list in WeChat's console before a phone (not DevTools) can reach the backend. */
function domainSteps(o: Options): string {
  const domains = consoleDomains(o);
  const width = Math.max(...domains.map((d) => d.list.length));
  const rows = domains.map((d) => `  ${d.list.padEnd(width)}  ${d.url}  ${dim(`# ${d.use}`)}`);
  return `${bold('In the Mini Program console')} ${dim('(mp.weixin.qq.com → 开发管理 → 开发设置 → 服务器域名):')}\n${rows.join('\n')}`;
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
  const dirArg = cmd.args[0];

  // 1. answers: flags first, then questions for the rest (or defaults)
  const given = answersFromFlags(cmd.opts());
  const ask = interactive(cmd.opts().yes === true);
  let targetDir: string | undefined;
  let suggested: string | undefined;
  if (dirArg !== undefined) {
    ({ targetDir, projectName: given.projectName } = resolveTarget(dirArg, process.cwd(), given.projectName));
    if (given.projectName === undefined) {
      const folder = path.basename(targetDir);
      if (!ask) {
        throw new UserError(
          `The folder name "${folder}" is not a valid package name: ${projectNameProblem(folder)}.`,
          `Pass a package name with --name, e.g. --name ${suggestPackageName(folder)}.`,
        );
      }
      suggested = suggestPackageName(folder);
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
    `${green('✔')} Created ${bold(created(targetDir, options.projectName))} ${dim(`(${written.length} files, ${options.db}, sessions in ${options.sessionStore}) in ${seconds(Date.now() - started)}`)}`,
  );

  // 3. optional steps; a failure keeps the files and says what is left to run
  // git is only asked when git is wanted (each question is a process: ~10 ms).
  const inGitRepo = options.git && insideGitRepo(targetDir);
  if (inGitRepo) console.log(dim('  Inside an existing git repository: no git init, no commit.'));
  const steps = plannedSteps(options, { inGitRepo, gitIdentity: options.git && !inGitRepo && gitIdentityKnown(targetDir) });
  const { leftToRun, cancelled } = await runSteps(steps, targetDir);

  if (cancelled) {
    console.error(`${red('✖', process.stderr)} Operation cancelled`);
    console.log(`\n${bold('Your files are all there. To finish, run:')}\n${nextSteps(options, targetDir, leftToRun)}`);
    return 130;
  }
  console.log(
    `\n${bold('Next steps:')}\n${nextSteps(options, targetDir, leftToRun)}\n\n${domainSteps(options)}\n\n${dim('See README.md for the Mini Program side and HTTPS deployment.')}`,
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
        console.error(`${red('✖', process.stderr)} Operation cancelled`);
        process.exitCode = 130;
      } else if (err instanceof UserError) {
        console.error(red(`✖ ${err.message}`, process.stderr));
        if (err.hint) console.error(cyan(err.hint, process.stderr));
        process.exitCode = 1;
      } else {
        console.error(err instanceof Error ? err.stack : err);
        process.exitCode = 1;
      }
    },
  );
}
