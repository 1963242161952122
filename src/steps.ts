import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Options, PackageManager } from './options';
import { isLogNoise, phaseOf } from './phase';
import { cyan, progress, red, dim } from './ui';

/** One optional step after writing: commands the user could also run by hand. */
export interface Step {
  label: string;
  commands: string[][];
  env?: Record<string, string>;
  /** A problem a command's output shows although it exited 0 (then the step fails all the same). */
  outputProblem?: (output: string) => { message: string; hint: string } | null;
}

/** What the steps left: the commands still to run by hand, and whether the user pressed Ctrl-C. */
export interface StepsResult {
  leftToRun: string[][];
  cancelled: boolean;
}

/** A command as the user would type it in a POSIX shell: arguments with spaces or quotes are quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/**
 * pnpm 10 skips every dependency build script it was not told to run, prints "Ignored build scripts:
 * a, b" and still exits 0: the install is then partial (better-sqlite3 has no binding). The generated
 * pnpm-workspace.yaml lists what may build (allowBuilds); anything still ignored fails the step.
 */
export function pnpmIgnoredBuilds(output: string): { message: string; hint: string } | null {
  // pnpm 10 draws a box around the warning and wraps long lists: drop the frame, then read the list.
  const flat = output.replace(/[│╭╮╰╯─]/g, ' ').replace(/\s+/g, ' ');
  const m = /Ignored build scripts: (.+?)\.? Run "pnpm approve-builds"/.exec(flat) ?? /Ignored build scripts: ([^.]+)/.exec(flat);
  if (!m) return null;
  return {
    message: `pnpm ignored the build scripts of ${m[1].trim()}, so the install is incomplete.`,
    hint: 'Review them, list them under allowBuilds in pnpm-workspace.yaml (or run pnpm approve-builds), then run pnpm install again.',
  };
}

/**
 * `prisma generate` never runs the schema engine, but Prisma's CLI downloads it first unless
 * PRISMA_SCHEMA_ENGINE_BINARY names an existing file. Pointing it at a placeholder for this one step
 * spares the download at scaffold time (and makes scaffolding work offline); `prisma migrate` later
 * fetches the engine as usual.
 */
export const NO_SCHEMA_ENGINE = path.resolve(__dirname, '..', 'assets', 'no-schema-engine.txt');

/** How each package manager runs a package.json script. */
export function runScript(pm: PackageManager, script: string): string[] {
  return pm === 'npm' ? ['npm', 'run', script] : [pm, script];
}

/** True when `dir` already sits inside a git work tree (a monorepo): we then leave git alone. */
export function insideGitRepo(dir: string): boolean {
  const r = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() === 'true';
}

/** The version of the `node` a package manager started from PATH runs on ("v22.23.3"), or null. */
export function nodeOnPath(): string | null {
  const r = spawnSync('node', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Whether git knows who commits here (a fresh machine may have no user.email). */
export function gitIdentityKnown(dir: string): boolean {
  const r = spawnSync('git', ['var', 'GIT_COMMITTER_IDENT'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0;
}

/** The steps the options ask for, in order: install, generate the Prisma client, then a first commit. */
export function plannedSteps(o: Options, opts: { inGitRepo: boolean; gitIdentity: boolean }): Step[] {
  const steps: Step[] = [];
  if (o.install) {
    steps.push({
      label: 'Installing dependencies',
      commands: [[o.pm, 'install']],
      // npm says what it is doing through a pipe only at loglevel info: the live line shows it
      env: o.pm === 'npm' ? { npm_config_loglevel: 'info' } : undefined,
      outputProblem: o.pm === 'pnpm' ? pnpmIgnoredBuilds : undefined,
    });
    steps.push({
      label: 'Generating the Prisma client',
      commands: [runScript(o.pm, 'db:generate')],
      env: { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? NO_SCHEMA_ENGINE },
    });
  }
  if (o.git && !opts.inGitRepo) {
    const init = [
      ['git', 'init', '--quiet'],
      ['git', 'add', '--all'],
    ];
    const commit = ['git', 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from create-wx-backend'];
    steps.push(
      opts.gitIdentity
        ? { label: 'Creating a git repository with a first commit', commands: [...init, commit] }
        : { label: 'Creating a git repository (no git user.email set, so no commit)', commands: init },
    );
  }
  return steps;
}

/** A running command: its outcome, and a way to stop it (Ctrl-C). */
interface Running {
  done: Promise<{ ok: boolean; output: string }>;
  stop: () => void;
}

/** Runs a command, capturing its output so that only a failure shows it; `onLine` sees each line as it comes. */
function start(argv: string[], cwd: string, env: Record<string, string> | undefined, onLine: (line: string) => void): Running {
  const child = spawn(argv[0], argv.slice(1), {
    cwd,
    env: { ...process.env, ...env },
    shell: process.platform === 'win32',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let partial = '';
  const take = (d: string) => {
    output += d;
    const lines = (partial + d).split(/\r?\n|\r/);
    partial = lines.pop() ?? '';
    lines.forEach(onLine);
  };
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', take);
  const done = new Promise<{ ok: boolean; output: string }>((resolve) => {
    child.on('error', (err) => resolve({ ok: false, output: err.message }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
  // Ctrl-C: ask the command to stop as a terminal would; a command that ignores it is ended after 5 s.
  const stop = () => {
    child.kill('SIGINT');
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGTERM'), 5000).unref();
  };
  return { done, stop };
}

function showFailure(argv: string[], output: string, problem: { message: string; hint: string } | null): void {
  const err = process.stderr;
  const lines = output.trim().split('\n');
  const tail = lines
    .filter((l) => !isLogNoise(l))
    .slice(-15)
    .join('\n');
  if (tail) err.write(`${dim(tail, err)}\n`);
  if (problem) err.write(`${red(problem.message, err)}\n${cyan(problem.hint, err)}\n`);
  else err.write(`${red(`${shellLine(argv)} failed.`, err)} Your files are all there.\n`);
}

/**
 * Runs the steps in order, each with its progress line and duration. Stops at the first failure or at
 * Ctrl-C (the running command is stopped too), keeps every generated file, and returns the commands
 * left for the user to run by hand: the one that failed or was interrupted, and every one after it.
 */
export async function runSteps(steps: Step[], cwd: string): Promise<StepsResult> {
  let current: Running | undefined;
  let cancelled = false;
  const onSigint = () => {
    cancelled = true;
    current?.stop();
  };
  process.on('SIGINT', onSigint);
  try {
    for (const [i, s] of steps.entries()) {
      const shown = progress(s.label);
      const onLine = (line: string) => {
        const phase = phaseOf(line);
        if (phase !== null) shown.phase(phase);
      };
      for (const [j, argv] of s.commands.entries()) {
        current = start(argv, cwd, s.env, onLine);
        const result = await current.done;
        const problem = cancelled ? null : (s.outputProblem?.(result.output) ?? null);
        if (result.ok && !cancelled && !problem) continue;
        shown.end(false, cancelled ? '(cancelled)' : undefined);
        if (!cancelled) showFailure(argv, result.output, problem);
        return { leftToRun: [...s.commands.slice(j), ...steps.slice(i + 1).flatMap((t) => t.commands)], cancelled };
      }
      shown.end(true);
    }
    return { leftToRun: [], cancelled: false };
  } finally {
    process.off('SIGINT', onSigint);
  }
}
