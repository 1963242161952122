/**
 * Rules of the generated project (not of the generator): the Node versions it supports and how its
 * production start runs Node. The package.json, the CI workflow, the PM2 file and the systemd unit take
 * them from here.
 */

/**
 * The Node versions a generated project supports, and CI installs and tests it on: the two LTS lines of
 * late 2026. Node 20 reached its end of life in April 2026, Prisma 7.10's CLI pulls a package that
 * declares node >= 22 (yarn refuses to install it on 20). 22.12 is Prisma 7's floor on the 22 line.
 */
export const SUPPORTED_NODE = [
  { major: 22, minor: 12 },
  { major: 24, minor: 0 },
] as const;

/** The generated package.json's `engines.node`, spelled from SUPPORTED_NODE. */
export const NODE_ENGINES = SUPPORTED_NODE.map((v) => `^${v.major}.${v.minor}`).join(' || ');

/** Whether a `node --version` string ("v22.23.3") is one the generated project supports. */
export function nodeSupported(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\./.exec(version.trim());
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return SUPPORTED_NODE.some((v) => v.major === major && minor >= v.minor);
}

/**
 * V8 flags of the generated app's production start (`npm start`, PM2, systemd), measured by `npm run bench`
 * (BENCHMARKS.md, Node 20): resident memory after the first login ~130 → ~100 MB, and ~110 MB instead of
 * ~170 MB under load; the bench prints /me with and without them. The e2e HTTPS test runs logins under them.
 * - A young generation of 2 MB semi-spaces (16 MB by default): a request server's objects die young, so
 *   a small nursery is scavenged often and cheaply instead of growing by ~30 MB under load.
 * - WebAssembly compiled by Liftoff only: Prisma's query compiler is WebAssembly, and its optimised
 *   (TurboFan) code costs ~15 MB for work the app does once per query shape. V8 marks this flag "for
 *   testing": a function Liftoff cannot compile stops the process instead of falling back, so the README
 *   says how to drop it. (`--no-wasm-tier-up` keeps that fallback but saved nothing measurable.)
 */
export const NODE_FLAGS = ['--max-semi-space-size=2', '--liftoff-only'] as const;
