/** Scaffold wall time: create-wx-backend against create-vite and a bare Node start, alternating runs. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spread } from './stats.mjs';

function timeOnce(args) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-'));
  try {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
    return ms;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/** Medians and spreads (ms) of `runs` rounds; each round runs all three, so load spikes hit them alike. */
export function scaffoldTimes(repo, runs) {
  const cmds = {
    ours: [path.join(repo, 'bin', 'create-wx-backend.js'), 'demo', '--yes', '--no-install', '--no-git'],
    vite: [
      path.join(repo, 'node_modules', 'create-vite', 'index.js'),
      'demo',
      '--template',
      'vanilla-ts',
      '--no-interactive',
      '--no-immediate',
    ],
    node: ['-e', '0'],
  };
  const times = { ours: [], vite: [], node: [], ratio: [] };
  for (let i = 0; i < runs; i++) {
    for (const [k, args] of Object.entries(cmds)) times[k].push(timeOnce(args));
    times.ratio.push(times.ours.at(-1) / times.vite.at(-1));
  }
  return Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, spread(xs)]));
}
