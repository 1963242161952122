import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../src/errors';
import { conflictsIn, resolveInside, writeProject, type FileToWrite } from '../../src/write';
import { canMount, mountTmpfs } from '../support/tmpfs';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-write-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

const files = (entries: Record<string, string | FileToWrite>) =>
  new Map(Object.entries(entries).map(([p, f]) => [p, typeof f === 'string' ? { contents: f } : f]));
const tree = (dir: string): string[] =>
  fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();

test('writes every file into a missing folder, creating parents, with the asked mode', () => {
  const target = path.join(tmp, 'app');
  writeProject(target, files({ 'a.txt': 'A', 'src/deep/b.ts': 'B', '.env': { contents: 'S=1', mode: 0o600 } }));
  expect(tree(target)).toEqual(['.env', 'a.txt', 'src', 'src/deep', 'src/deep/b.ts']);
  expect(fs.readFileSync(path.join(target, 'src/deep/b.ts'), 'utf8')).toBe('B');
  expect(fs.statSync(path.join(target, '.env')).mode & 0o777).toBe(0o600);
});

test('an empty folder, or one holding only .git and editor files, is fine', () => {
  fs.mkdirSync(path.join(tmp, '.git'));
  fs.writeFileSync(path.join(tmp, '.DS_Store'), '');
  fs.mkdirSync(path.join(tmp, '.idea'));
  writeProject(tmp, files({ 'a.txt': 'A' }));
  expect(fs.readFileSync(path.join(tmp, 'a.txt'), 'utf8')).toBe('A');
});

test('one pre-existing file: nothing is written, the file is named and left byte-identical', () => {
  const mine = Buffer.from([0, 1, 2, 255, 10]);
  fs.writeFileSync(path.join(tmp, 'README.md'), mine);
  let err: unknown;
  try {
    writeProject(tmp, files({ 'a.txt': 'A', 'README.md': 'generated' }));
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(UserError);
  expect((err as Error).message).toContain('README.md');
  expect((err as UserError).hint).toMatch(/Nothing was written/);
  expect(tree(tmp)).toEqual(['README.md']);
  expect(fs.readFileSync(path.join(tmp, 'README.md')).equals(mine)).toBe(true);
});

test('every conflicting entry is listed', () => {
  fs.writeFileSync(path.join(tmp, 'package.json'), '{}');
  fs.mkdirSync(path.join(tmp, 'src'));
  fs.mkdirSync(path.join(tmp, '.git'));
  expect(conflictsIn(tmp)).toEqual(['package.json', 'src']);
});

test('a link in the target that leads outside it is refused before anything is written', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-outside-'));
  try {
    fs.symlinkSync(outside, path.join(tmp, '.idea'));
    expect(() => writeProject(tmp, files({ 'a.txt': 'A' }))).toThrow(/link to .* outside the project/);
    expect(fs.readdirSync(outside)).toEqual([]);
    expect(fs.existsSync(path.join(tmp, 'a.txt'))).toBe(false);
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('a path that would leave the target is refused', () => {
  expect(() => resolveInside('/tmp/app', '../evil')).toThrow(/outside the project/);
  expect(() => resolveInside('/tmp/app', '/etc/passwd')).toThrow(/outside the project/);
  expect(() => resolveInside('/tmp/app', 'a/../../b')).toThrow(/outside the project/);
  expect(resolveInside('/tmp/app', 'src/a.ts')).toBe('/tmp/app/src/a.ts');
  const target = path.join(tmp, 'app');
  expect(() => writeProject(target, files({ 'a.txt': 'A', '../escaped.txt': 'B' }))).toThrow(/outside the project/);
  expect(fs.existsSync(path.join(tmp, 'escaped.txt'))).toBe(false);
  expect(fs.existsSync(target)).toBe(false);
});

test('a failure half-way removes exactly what this run created, and nothing else', () => {
  // "x" is written as a file, so the later "x/y.txt" cannot get its folder.
  fs.mkdirSync(path.join(tmp, '.git'));
  fs.writeFileSync(path.join(tmp, '.git', 'HEAD'), 'ref');
  expect(() => writeProject(tmp, files({ 'a/b.txt': 'B', x: 'file', 'x/y.txt': 'Y' }))).toThrow();
  expect(tree(tmp)).toEqual(['.git', '.git/HEAD']);
  const fresh = path.join(tmp, 'new');
  expect(() => writeProject(fresh, files({ x: 'file', 'x/y.txt': 'Y' }))).toThrow();
  expect(fs.existsSync(fresh)).toBe(false);
});

test('a target that is a file is a clear error', () => {
  const file = path.join(tmp, 'taken');
  fs.writeFileSync(file, 'mine');
  expect(() => writeProject(file, files({ 'a.txt': 'A' }))).toThrow(/exists and is not a folder/);
  expect(fs.readFileSync(file, 'utf8')).toBe('mine');
});

(canMount ? test : test.skip)(
  'a full disk (a 64 KB tmpfs) half-way: the error says so in one line with the path, and nothing is left (needs root to mount)',
  () => {
    const disk = mountTmpfs('64k');
    try {
      fs.mkdirSync(path.join(disk.dir, '.git'));
      const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`src/part${i}/f${i}.txt`, 'x'.repeat(8192)]));
      let err: unknown;
      try {
        writeProject(disk.dir, files(many));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(
        /^Cannot write the project to .*: no space left on the device at .*\/src\/part\d+(\/f\d+\.txt)?\.$/,
      );
      expect((err as UserError).hint).toMatch(/^Nothing was written\. Free some space/);
      expect(tree(disk.dir)).toEqual(['.git']); // what was there before stays; every file and folder of the run is gone
      disk.resize('4m');
      writeProject(disk.dir, files(many)); // so a rerun finds the folder empty
      expect(tree(disk.dir)).toHaveLength(2 + 40 * 2);
    } finally {
      disk.unmount();
    }
  },
);

test('a path through a file, or a path too long: one line saying so, nothing written', () => {
  fs.writeFileSync(path.join(tmp, 'notes'), 'mine');
  expect(() => writeProject(path.join(tmp, 'notes', 'api'), files({ 'a.txt': 'A' }))).toThrow(
    new UserError(`Cannot write the project to ${path.join(tmp, 'notes', 'api')}: ${path.join(tmp, 'notes')} is a file, not a folder.`),
  );
  const long = path.join(tmp, ...Array.from({ length: 25 }, () => 'a'.repeat(200)));
  expect(() => writeProject(long, files({ 'a.txt': 'A' }))).toThrow(UserError);
  expect(() => writeProject(long, files({ 'a.txt': 'A' }))).toThrow(/: the path is too long\.$/);
  expect(tree(tmp)).toEqual(['notes']);
});
