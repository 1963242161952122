import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const BIN = path.join(__dirname, '..', '..', 'bin', 'create-wx-backend.js');

/** The environment a user's shell would give, minus what would change our answers. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const key of ['npm_config_user_agent', 'CI']) if (!(key in extra)) delete env[key];
  return env;
}

/** Runs the real bin as a user would (no TTY: stdin/stdout are pipes). */
export function cli(args: string[], opts: SpawnSyncOptions & { env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: cleanEnv(), timeout: 120_000, ...opts });
  return { code: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

export function tempDir(prefix = 'cwb-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
