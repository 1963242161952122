/**
 * Rules of the generated project (not of the generator): the Node versions it supports and how its
 * production start runs Node. The package.json, the PM2 file, the systemd unit (and a Dockerfile) take
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
 * Node flags of the generated app's production start (`npm start`, PM2, systemd, and a Dockerfile that
 * imports this): production settings only, never a V8 testing flag.
 * - A young generation of 2 MB semi-spaces (16 MB by default on 64-bit): a request server's objects die
 *   young, so a small nursery is scavenged often and cheaply instead of growing by ~30 MB under load.
 * `--liftoff-only` (Prisma's WebAssembly query compiler without optimised code, ~15 MB less) is not here:
 * V8 documents it as a testing flag, and a function Liftoff cannot compile stops the process instead of
 * falling back. The generated README explains it as an opt-in with that trade-off.
 */
export const NODE_FLAGS = ['--max-semi-space-size=2'] as const;

/**
 * glibc's malloc arenas for the production start (systemd, PM2, the Dockerfile; an environment
 * variable, not a Node flag, so not in `npm start`). glibc gives threads that allocate arenas of their
 * own, up to 8 per core, and Node's V8 and libuv threads keep memory in them. Default project: 3–5 MB
 * less after one login (5 pairs of starts); after 200–400k /me requests 130 against 136–140 MB in two
 * runs of three (the third: 140 against 136).
 */
export const MALLOC_ARENA_MAX = '2';
