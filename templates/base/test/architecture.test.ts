import fs from 'node:fs';
import path from 'node:path';

/**
 * The shape of src/, checked on every run: no import cycle between files, and imports go one way only
 * (platform and WeChat's API code know nothing of the features; only the composition files import
 * route modules or the stores bundle).
 */

const SRC = path.join(__dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** src-relative file → the src files it imports (relative imports only; the Prisma client left out). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = fs.readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.{1,2}\/[^']+)'/gms)]
      .map((m) => path.relative(SRC, path.resolve(path.dirname(file), m[1])) + '.ts')
      .filter((target) => !target.startsWith('generated'));
    graph.set(
      path.relative(SRC, file).split(path.sep).join('/'),
      targets.map((t) => t.split(path.sep).join('/')),
    );
  }
  return graph;
}

const graph = importGraph();
const folder = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

test('every relative import names a file of src/', () => {
  const missing = [...graph].flatMap(([file, targets]) => targets.filter((t) => !graph.has(t)).map((t) => `${file} → ${t}`));
  expect(missing).toEqual([]);
});

test('no import cycle between files', () => {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]) => {
    if (state.get(file) === 'done') return;
    if (state.get(file) === 'open') {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(' → '));
      return;
    }
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
    state.set(file, 'done');
  };
  for (const file of graph.keys()) visit(file, []);
  expect(cycles).toEqual([]);
});

test('imports go one way: platform/ and wechat/ know no feature; only the composition files import routes and stores', () => {
  const COMPOSITION = ['app.ts', 'deps.ts', 'routes.ts', 'server.ts'];
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    for (const target of targets) {
      const from = folder(file);
      const to = folder(target);
      const rule =
        (from === 'platform' && to !== 'platform' && 'platform/ imports only platform/') ||
        (from === 'wechat' && !['wechat', 'platform'].includes(to) && 'wechat/ imports only wechat/ and platform/') ||
        (target.endsWith('.routes.ts') && from !== to && !COMPOSITION.includes(file) && 'a route module is imported by src/routes.ts') ||
        (to === 'stores' &&
          from !== 'stores' &&
          ![...COMPOSITION, 'config.ts'].includes(file) &&
          'the stores bundle is imported by the composition files') ||
        (COMPOSITION.includes(target) &&
          !COMPOSITION.includes(file) &&
          !target.startsWith('config') &&
          'nothing below imports the composition files');
      if (rule) wrong.push(`${file} → ${target}: ${rule}`);
    }
  }
  expect(wrong).toEqual([]);
});
