import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { cleanEnv, tempDir } from '../support/cli';

/**
 * The package as npm publishes it (after `npm run build`): no runtime dependency, and the unpacked
 * tarball alone, with no node_modules anywhere above it, runs the CLI and scaffolds a project.
 */
const REPO = path.join(__dirname, '..', '..');
let dir: string;
let files: string[];

beforeAll(() => {
  dir = tempDir('cwb-pack-');
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  const [info] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = info.files.map((f) => f.path).sort();
  const untar = spawnSync('tar', ['xzf', info.filename], { cwd: dir });
  if (untar.status !== 0) throw new Error('tar failed');
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const runPackaged = (args: string[], cwd = dir) =>
  spawnSync(process.execPath, [path.join(dir, 'package', 'bin', 'create-wx-backend.js'), ...args], {
    cwd,
    encoding: 'utf8',
    env: cleanEnv(),
  });

test('published with no dependencies: the bundle, the precompiled templates, the bin and the docs only', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package', 'package.json'), 'utf8'));
  expect(pkg.dependencies ?? {}).toEqual({});
  expect(pkg.peerDependencies ?? {}).toEqual({});
  expect(files.filter((f) => /^(src|templates|test|node_modules)\//.test(f))).toEqual([]);
  expect(files).toEqual(
    expect.arrayContaining(['bin/create-wx-backend.js', 'dist/create-wx-backend.cjs', 'dist/templates.precompiled.js']),
  );
  expect(fs.existsSync(path.join(dir, 'node_modules'))).toBe(false);
});

test('the unpacked tarball alone prints --help and scaffolds the default project', () => {
  const help = runPackaged(['--help']);
  expect([help.status, help.stderr]).toEqual([0, '']);
  expect(help.stdout).toMatch(/^Usage: create-wx-backend \[options\] \[directory\]/);
  const r = runPackaged(['demo', '--yes', '--no-install', '--no-git']);
  expect([r.status, r.stderr]).toEqual([0, '']);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'demo', 'package.json'), 'utf8'));
  expect(pkg.name).toBe('demo');
  for (const f of ['README.md', 'src/server.ts', 'prisma/schema/schema.prisma', '.env', 'miniprogram/app.js']) {
    expect(fs.existsSync(path.join(dir, 'demo', f))).toBe(true);
  }
});
