import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { Options, PackageManager } from './options';
import { progress, red, dim } from './ui';

/** One optional step after writing: commands the user could also run by hand. */
export interface Step {
  label: string;
  commands: string[][];
  env?: Record<string, string>;
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

/** Whether git knows who commits here (a fresh machine may have no user.email). */
export function gitIdentityKnown(dir: string): boolean {
  const r = spawnSync('git', ['var', 'GIT_COMMITTER_IDENT'], { cwd: dir, encoding: 'utf8' });
  return r.status === 0;
}

/** The steps the options ask for, in order: install, generate the Prisma client, then a first commit. */
export function plannedSteps(o: Options, opts: { inGitRepo: boolean; gitIdentity: boolean }): Step[] {
  const steps: Step[] = [];
  if (o.install) {
    steps.push({ label: 'Installing dependencies', commands: [[o.pm, 'install']] });
    steps.push({
      label: 'Generating the Prisma client',
      commands: [runScript(o.pm, 'db:generate')],
      env: { PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? NO_SCHEMA_ENGINE },
    });
  }
  if (o.git && !opts.inGitRepo) {
    const init = [['git', 'init', '--quiet'], ['git', 'add', '--all']];
    const commit = ['git', 'commit', '--quiet', '--no-verify', '-m', 'Initial commit from create-wx-backend'];
    steps.push(
      opts.gitIdentity
        ? { label: 'Creating a git repository with a first commit', commands: [...init, commit] }
        : { label: 'Creating a git repository (no git user.email set, so no commit)', commands: init },
    );
  }
  return steps;
}

/** Runs a command, capturing its output so that only a failure shows it. */
function run(argv: string[], cwd: string, env?: Record<string, string>): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      shell: process.platform === 'win32',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => resolve({ ok: false, output: err.message }));
    child.on('close', (code) => resolve({ ok: code === 0, output }));
  });
}

/**
 * Runs the steps in order, each with its progress line and duration. Stops at the first failure,
 * keeps every generated file, and returns the commands left for the user to run by hand.
 */
export async function runSteps(steps: Step[], cwd: string): Promise<string[]> {
  for (const [i, s] of steps.entries()) {
    const done = progress(s.label);
    for (const [j, argv] of s.commands.entries()) {
      const result = await run(argv, cwd, s.env);
      if (result.ok) continue;
      done(false);
      const tail = result.output.trim().split('\n').slice(-15).join('\n');
      if (tail) process.stderr.write(`${dim(tail)}\n`);
      process.stderr.write(`${red(`${argv.join(' ')} failed.`)} Your files are all there.\n`);
      return [...s.commands.slice(j), ...steps.slice(i + 1).flatMap((t) => t.commands)].map((c) => c.join(' '));
    }
    done(true);
  }
  return [];
}
