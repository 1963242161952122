import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { tempDir } from './cli';

/** Mounting a tmpfs needs root: tests that fill a disk for real run only as root (CI runs as root). */
export const canMount = process.getuid?.() === 0;

/** A fresh tmpfs of `size` (e.g. "64k"): a small disk that fills up for real. Unmount it when done. */
export function mountTmpfs(size: string): { dir: string; resize: (size: string) => void; unmount: () => void } {
  const dir = tempDir('cwb-tmpfs-');
  const mount = (...args: string[]) => {
    const r = spawnSync('mount', args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`mount ${args.join(' ')} failed: ${r.stderr || r.error}`);
  };
  mount('-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir);
  return {
    dir,
    resize: (to) => mount('-o', `remount,size=${to}`, dir),
    unmount: () => {
      spawnSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
