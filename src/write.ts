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

/** A permission problem is the user's to fix (one line and a hint); anything else stays a bug. */
function asUserError(err: unknown, dir: string): unknown {
  const e = err as NodeJS.ErrnoException;
  if (!PERMISSION_CODES.has(e?.code ?? '')) return err;
  const why = e.code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
  const where = e.path && path.resolve(e.path) !== path.resolve(dir) ? ` at ${e.path}` : '';
  return new UserError(
    `Cannot write the project to ${dir}: ${why}${where}.`,
    'Nothing was written. Choose a folder you can write to, or fix its permissions and run again.',
  );
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
    throw asUserError(err, dir);
  }
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
  const createdDirs: string[] = [];
  const createdFiles: string[] = [];
  const mkdir = (d: string) => {
    if (fs.existsSync(d)) return;
    mkdir(path.dirname(d));
    fs.mkdirSync(d);
    createdDirs.push(d);
  };
  try {
    mkdir(path.resolve(dir));
    const root = fs.realpathSync(dir);
    for (const [relative, file] of files) {
      const full = resolveInside(root, relative);
      mkdir(path.dirname(full));
      fs.writeFileSync(full, file.contents, { flag: 'wx', mode: file.mode ?? 0o644 });
      createdFiles.push(full);
    }
  } catch (err) {
    for (const f of createdFiles.reverse()) fs.rmSync(f, { force: true });
    for (const d of createdDirs.reverse()) fs.rmdirSync(d);
    throw asUserError(err, dir);
  }
  return [...files.keys()];
}
