import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { E2E_DIR, REPO } from './e2e';

/** Once per run: the shared install all generated projects resolve from (see scripts/shared-deps.js). */
export default function setup(): void {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'shared-deps.js'), E2E_DIR, '--install'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error("the shared install of the generated projects' dependencies failed (did npm run build run?)");
}
