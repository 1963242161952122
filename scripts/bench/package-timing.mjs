/**
 * How the CLI installs and runs from npm, against create-vite packed the same way: the packed size, and
 * the wall time of `npx <tarball> demo` with an empty npm cache (npx fetches and unpacks the package,
 * then scaffolds without installing); then `npx <tarball> myapp --yes` with the install, on a warm cache.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spread } from './stats.mjs';

/** `npm pack` of a folder or a registry spec into `dest`: the tarball's path and its packed size in bytes. */
function pack(what, dest) {
  const r = spawnSync('npm', ['pack', what, '--ignore-scripts', '--json', '--pack-destination', dest], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm pack ${what} failed:\n${r.stderr}`);
  const [info] = JSON.parse(r.stdout);
  return { tarball: path.join(dest, info.filename), bytes: info.size, files: info.entryCount };
}

/** Wall time (ms) of one npx run in a fresh folder; `cache` is npm's cache folder for that run. */
function npxOnce([tarball, bin], args, { cache, env = process.env, timeoutMs = 600_000 }) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-npx-'));
  try {
    const t = performance.now();
    const r = spawnSync('npx', ['--yes', '--cache', cache, '--prefer-offline', '--package', tarball, bin, ...args], {
      cwd,
      encoding: 'utf8',
      env: { ...env, CI: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
      timeout: timeoutMs,
    });
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`npx ${tarball} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
    return ms;
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

/** A new, empty npm cache for one run. */
const emptyCache = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-cache-'));

/**
 * Packed sizes and cold npx times of both CLIs (alternating, `runs` each), and one warm
 * `npx <ours> myapp --yes` with the install (`projectEnv`: the Node the project installs on).
 */
export function packageTimes(repo, runs, projectEnv) {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-pack-'));
  try {
    const ours = pack(repo, dest);
    // create-vite's published tarball, at the version pinned in devDependencies (packing the installed
    // folder would drop its template-* folders)
    const viteVersion = JSON.parse(fs.readFileSync(path.join(repo, 'node_modules', 'create-vite', 'package.json'), 'utf8')).version;
    const vite = pack(`create-vite@${viteVersion}`, dest);
    const cmds = {
      ours: [
        [ours.tarball, 'create-wx-backend'],
        ['demo', '--yes', '--no-install', '--no-git'],
      ],
      vite: [
        [vite.tarball, 'create-vite'],
        ['demo', '--template', 'vanilla-ts', '--no-interactive', '--no-immediate'],
      ],
    };
    const times = { ours: [], vite: [], ratio: [] };
    for (let i = 0; i < runs; i++) {
      for (const [k, [pkg, args]] of Object.entries(cmds)) {
        const cache = emptyCache();
        try {
          times[k].push(npxOnce(pkg, args, { cache }));
        } finally {
          fs.rmSync(cache, { recursive: true, force: true });
        }
      }
      times.ratio.push(times.ours.at(-1) / times.vite.at(-1));
    }
    // with the install: the user's own npm cache, warmed by one run first (not counted)
    const cache = path.join(os.homedir(), '.npm');
    const full = ['myapp', '--yes', '--no-git'];
    const bin = [ours.tarball, 'create-wx-backend'];
    npxOnce(bin, full, { cache, env: projectEnv });
    const withInstallMs = npxOnce(bin, full, { cache, env: projectEnv });
    return {
      packedBytes: { ours: ours.bytes, vite: vite.bytes },
      files: { ours: ours.files, vite: vite.files },
      npxCold: Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, spread(xs)])),
      withInstallMs,
    };
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
}
