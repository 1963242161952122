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

/** The files the default scaffold writes, as a JSON list of [path, contents] in a temporary file. */
function defaultProjectFiles(repo) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-files-'));
  const r = spawnSync(process.execPath, [path.join(repo, 'bin', 'create-wx-backend.js'), 'demo', '--yes', '--no-install', '--no-git'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true' },
  });
  if (r.status !== 0) throw new Error(`scaffold failed:\n${r.stdout}${r.stderr}`);
  const root = path.join(cwd, 'demo');
  const files = fs
    .readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .map((full) => [path.relative(root, full), fs.readFileSync(full, 'utf8')]);
  const list = path.join(cwd, 'files.json');
  fs.writeFileSync(list, JSON.stringify(files));
  fs.rmSync(root, { recursive: true, force: true });
  return { list, count: files.length, cleanUp: () => fs.rmSync(cwd, { recursive: true, force: true }) };
}

/**
 * Medians and spreads (ms) of `runs` rounds; each round runs every command, so load spikes hit them
 * alike. `floor` is Node writing the same files as our scaffold and doing nothing else.
 */
export function scaffoldTimes(repo, runs) {
  const files = defaultProjectFiles(repo);
  const cmds = {
    ours: [path.join(repo, 'bin', 'create-wx-backend.js'), 'demo', '--yes', '--no-install', '--no-git'],
    floor: [path.join(repo, 'scripts', 'bench', 'write-files.cjs'), files.list],
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
  const times = { ours: [], floor: [], vite: [], node: [], ratio: [], floorRatio: [] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [k, args] of Object.entries(cmds)) times[k].push(timeOnce(args));
      times.ratio.push(times.ours.at(-1) / times.vite.at(-1));
      times.floorRatio.push(times.floor.at(-1) / times.vite.at(-1));
    }
  } finally {
    files.cleanUp();
  }
  return { ...Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, spread(xs)])), files: files.count };
}
