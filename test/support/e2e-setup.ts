import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { E2E_DIR, REPO } from './e2e';

/**
 * Once per run: one `npm install` of the union of every combination's pinned dependencies, which all
 * generated projects below E2E_DIR share. Skipped when that union has not changed since the last run.
 */
export default function setup(): void {
  const stamp = path.join(E2E_DIR, 'node_modules', '.cwb-installed');
  const deps = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'shared-deps.js'), E2E_DIR], { encoding: 'utf8' });
  if (deps.status !== 0) throw new Error(`shared-deps.js failed (did npm run build run?):\n${deps.stderr}`);
  if (deps.stdout.trim() === 'unchanged' && fs.existsSync(stamp)) return;
  process.stdout.write(`\ne2e: installing the generated projects' dependencies once, in ${E2E_DIR}\n`);
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: E2E_DIR, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm install of the shared e2e dependencies failed');
  fs.writeFileSync(stamp, new Date().toISOString());
}
