import { stripVTControlCharacters } from 'node:util';

/**
 * One line a package manager (or Prisma) printed → the phase it shows, short enough for the live line;
 * null for a line that says nothing new. npm speaks through a pipe only at loglevel info (its progress
 * bar needs a terminal): each fetch and each dependency's install script is then a line. pnpm prints
 * "Progress: resolved …" and yarn "[2/4] Fetching packages..." through a pipe as they are.
 */
export function phaseOf(line: string): string | null {
  const text = stripVTControlCharacters(line)
    .replace(/[│╭╮╰╯─]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text) return null;
  // npm http fetch GET 200 https://registry.npmjs.org/@prisma%2fclient 35ms (cache miss)
  const fetched = /^npm http fetch \w+ \d+ https?:\/\/[^/]+\/(.+?)(?:\/-\/\S*)? \d/.exec(text);
  if (fetched) return `fetching ${decodeURIComponent(fetched[1])}`;
  // npm info run better-sqlite3@12.6.2 install node_modules/better-sqlite3 prebuild-install || node-gyp rebuild
  // (and when it ends: npm info run better-sqlite3@12.6.2 install { code: 0, signal: null }, which says nothing new)
  const script = /^npm info run (@?[^@\s]+)\S* (\w+) (?!\{ code)/.exec(text);
  if (script) return `running the ${script[2]} script of ${script[1]}`;
  if (/^npm (http|info|timing|verbose|silly|notice)\b/.test(text)) return null;
  // yarn: [2/4] Fetching packages...
  const yarnStep = /^\[(\d+)\/(\d+)\] (.+?)\.*$/.exec(text);
  if (yarnStep) return `${yarnStep[3]} (${yarnStep[1]}/${yarnStep[2]})`;
  return text;
}

/** Lines of npm's own logging at loglevel info: noise in the tail shown when a step fails. */
export function isLogNoise(line: string): boolean {
  return /^npm (http|info|timing|verbose|silly)\b/.test(stripVTControlCharacters(line).trim());
}
