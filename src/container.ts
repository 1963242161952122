import type { Options } from './options';
import { NODE_FLAGS } from './project-rules';

/**
 * The package manager a generated Dockerfile installs with, pinned (the same versions CI tests
 * projects with, .ci/toolchains). npm is the base image's own.
 */
export const CONTAINER_PM: Readonly<Record<Options['pm'], string>> = {
  npm: '',
  pnpm: 'pnpm@10.34.9',
  yarn: 'yarn@1.22.22',
};

/** The image's CMD in exec form: node is PID 1 and gets SIGTERM itself (no npm, no shell). */
export function dockerCmd(): string {
  return JSON.stringify(['node', ...NODE_FLAGS, 'dist/server.js']);
}
