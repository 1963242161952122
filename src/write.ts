import fs from 'node:fs';
import path from 'node:path';
import { UserError } from './errors';

export interface FileToWrite {
  contents: string;
  mode?: number;
}

/** Entries a fresh folder may already hold: we never write any of these names. */
export const HARMLESS_ENTRIES = new Set(['.git', '.DS_Store', '.idea', '.vscode', 'Thumbs.db']);

const PERMISSION_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);
/** The disk (or the user's quota) is full: theirs to fix, like a permission problem. */
const NO_SPACE_CODES = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A problem the user can fix (permissions, a full disk) becomes one line and a hint, naming the path
 * where it happened; anything else stays a bug. `leftBehind` lists what the rollback could not remove.
 */
function asUserError(err: unknown, dir: string, leftBehind: string[] = [], writing?: string): unknown {
  const e = err as NodeJS.ErrnoException;
  const code = e?.code ?? '';
  if (!PERMISSION_CODES.has(code) && !NO_SPACE_CODES.has(code)) return err;
  const why = NO_SPACE_CODES.has(code)
    ? 'no space left on the device'
    : code === 'EROFS'
      ? 'the file system is read-only'
      : 'permission denied';
  // a failed write(2) names no path: the file being written is where it happened
  const at = e.path ?? writing;
  const where = at && path.resolve(at) !== path.resolve(dir) ? ` at ${at}` : '';
  const fix = NO_SPACE_CODES.has(code)
    ? 'Free some space or choose another disk'
    : 'Choose a folder you can write to, or fix its permissions';
  return new UserError(`Cannot write the project to ${dir}: ${why}${where}.`, `${rolledBack(leftBehind)} ${fix} and run again.`);
}

function rolledBack(leftBehind: string[]): string {
  if (leftBehind.length === 0) return 'Nothing was written.';
  return `These could not be removed again: ${leftBehind.join(', ')}.`;
}

function isInside(root: string, p: string): boolean {
  return p === root || p.startsWith(root + path.sep);
}

/** The absolute path for a generated file, refusing anything that would land outside `root`. */
export function resolveInside(root: string, relative: string): string {
  const full = path.resolve(root, relative);
  if (path.isAbsolute(relative) || relative.split('/').includes('..') || !isInside(root, full) || full === root) {
    throw new Error(`Refusing to write outside the project: ${relative}`);
  }
  return full;
}

/**
 * What already stands in the way in `dir`: every entry except harmless ones. Throws when the
 * target is not a folder or holds a link that leads outside it.
 */
export function conflictsIn(dir: string): string[] {
  try {
    return readConflicts(dir);
  } catch (err) {
    throw pathError(err, dir) ?? asUserError(err, dir);
  }
}

/** The user's path itself cannot hold a project: a part of it is a file, or it is too long. */
function pathError(err: unknown, dir: string): UserError | null {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENAMETOOLONG') {
    return new UserError(`Cannot write the project to ${dir}: the path is too long.`, 'Nothing was written. Choose a shorter path.');
  }
  if (code !== 'ENOTDIR') return null;
  // the first folder on the way, from the root down, that is a file
  const parts = path.resolve(dir).split(path.sep);
  const blocking = parts
    .map((_, i) => parts.slice(0, i + 1).join(path.sep) || path.sep)
    .find((p) => fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() === false);
  return new UserError(
    `Cannot write the project to ${dir}: ${blocking ?? 'a part of the path'} is a file, not a folder.`,
    'Nothing was written. Choose another path.',
  );
}

function readConflicts(dir: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  if (!stat.isDirectory()) throw new UserError(`${dir} exists and is not a folder.`, 'Choose another project name.');
  const root = fs.realpathSync(dir);
  const conflicts: string[] = [];
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) {
      const target = path.resolve(root, fs.readlinkSync(path.join(root, entry.name)));
      if (!isInside(root, target)) {
        throw new UserError(
          `${entry.name} in ${dir} is a link to ${target}, outside the project.`,
          'Remove the link or choose an empty folder.',
        );
      }
    }
    if (!HARMLESS_ENTRIES.has(entry.name)) conflicts.push(entry.name);
  }
  return conflicts.sort();
}

/**
 * Writes `files` into `dir`, which must be missing or hold only harmless entries. Nothing is ever
 * overwritten (every file is opened with `wx`); on any failure, everything this call created is
 * removed again and nothing else is touched. Returns the paths written.
 */
export function writeProject(dir: string, files: ReadonlyMap<string, FileToWrite>): string[] {
  const conflicts = conflictsIn(dir);
  if (conflicts.length > 0) {
    const list = conflicts.map((c) => `  ${c}`).join('\n');
    throw new UserError(`${dir} is not empty; it holds:\n${list}`, 'Nothing was written. Choose a new folder, or move these files away.');
  }
  // Everything this run creates is recorded the moment it exists (a file as soon as `wx` opened it, before
  // a byte is written), so that a failure half-way, a full disk included, leaves nothing behind.
  const created: Created[] = [];
  let writing: string | undefined;
  const mkdir = (d: string) => {
    if (fs.existsSync(d)) return;
    mkdir(path.dirname(d));
    fs.mkdirSync(d);
    created.push({ path: d, isDir: true });
  };
  try {
    mkdir(path.resolve(dir));
    const root = fs.realpathSync(dir);
    for (const [relative, file] of files) {
      const full = resolveInside(root, relative);
      writing = full;
      mkdir(path.dirname(full));
      const fd = fs.openSync(full, 'wx', file.mode ?? 0o644);
      created.push({ path: full, isDir: false });
      try {
        fs.writeFileSync(fd, file.contents);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (err) {
    throw asUserError(err, dir, rollBack(created), writing);
  }
  return [...files.keys()];
}

interface Created {
  path: string;
  isDir: boolean;
}

/** Removes what this run created, newest first; returns what could not be removed (never throws). */
function rollBack(created: Created[]): string[] {
  const left: string[] = [];
  for (const c of [...created].reverse()) {
    try {
      if (c.isDir) fs.rmdirSync(c.path);
      else fs.rmSync(c.path, { force: true });
    } catch {
      left.push(c.path);
    }
  }
  return left;
}
