import { spawn, spawnSync, type SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_NODE, nodeEnv } from '../../scripts/toolchains';
import { NO_SCHEMA_ENGINE } from '../../src/steps';
import { BIN, cleanEnv } from './cli';

export const REPO = path.join(__dirname, '..', '..');
/** Where generated projects live: below one shared node_modules holding every combination's deps. */
export const E2E_DIR = process.env.CWB_E2E_DIR ?? path.join(REPO, '.tmp', 'e2e');
export const SHARED_BIN = path.join(E2E_DIR, 'node_modules', '.bin');

/**
 * The name of a test database for `name`. CWB_E2E_TAG keeps two checkouts that run the e2e suite at the
 * same time on one machine (two worktrees) from dropping each other's databases.
 */
export function e2eDatabaseName(name: string): string {
  return `cwb_e2e_${process.env.CWB_E2E_TAG ?? ''}${name}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
}

export interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to completion, keeping stdout and stderr together for failure messages. */
export function run(command: string, args: string[], opts: SpawnOptions & { timeoutMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let output = '';
    child.stdout?.on('data', (d) => (output += d));
    child.stderr?.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Generates a project with the real CLI (no install: it resolves from the shared node_modules). */
export function generateProject(name: string, args: string[]): string {
  const projects = path.join(E2E_DIR, 'projects');
  const dir = path.join(projects, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(projects, { recursive: true });
  const r = spawnSync(process.execPath, [BIN, name, '--yes', '--no-install', '--no-git', ...args], {
    cwd: projects,
    encoding: 'utf8',
    env: cleanEnv(),
  });
  if (r.status !== 0) throw new Error(`create-wx-backend failed:\n${r.stdout}${r.stderr}`);
  return dir;
}

/**
 * A user's environment for running a generated project: Node 22 from .tmp/toolchains first on PATH (the
 * oldest Node the project supports; the shared install was built on it), so `node`, `npm` and every
 * tool's `#!/usr/bin/env node` run there. The generator itself runs on the machine's Node.
 */
export function projectEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return nodeEnv(E2E_NODE, cleanEnv(extra));
}

/** A tool from the shared install, run inside a generated project on Node 22. */
export function tool(dir: string, name: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs?: number): Promise<Run> {
  return run(path.join(SHARED_BIN, name), args, { cwd: dir, env: { ...projectEnv(), ...env }, timeoutMs });
}

/** `prisma generate`, offline (it never runs the schema engine; see src/steps.ts). */
export function prismaGenerate(dir: string): Promise<Run> {
  return tool(dir, 'prisma', ['generate'], { PRISMA_SCHEMA_ENGINE_BINARY: NO_SCHEMA_ENGINE });
}

/** Fails with the command's own output, so a CI log says what broke. */
export function expectOk(r: Run, what: string): void {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.output.slice(-6000)}`);
}
