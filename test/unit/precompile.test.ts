import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DATABASES, SESSION_STORES, resolveOptions } from '../../src/options';
import { precompiledModule } from '../../src/precompile';
import { render, type Templates } from '../../src/render';
import { loadTemplates, readTemplates } from '../../src/templates';
import { templates } from '../support/templates';

/** What `npm run build` writes, loaded the way the CLI loads it: from a module file. */
function precompiled(source: ReadonlyMap<string, string>): Templates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-precompiled-'));
  try {
    const file = path.join(dir, 'templates.precompiled.js');
    fs.writeFileSync(file, precompiledModule(source));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return new Map(require(file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const texts = templates as ReadonlyMap<string, string>;
const built = precompiled(texts);
const combos = DATABASES.flatMap((db) =>
  SESSION_STORES.flatMap((sessionStore) => [true, false].map((miniprogram) => ({ db, sessionStore, miniprogram }))),
);

describe('precompiled templates (npm run build) render exactly what the template files render', () => {
  test('every template is in the module, .hbs ones compiled and the rest as their text', () => {
    expect([...built.keys()]).toEqual([...texts.keys()].sort());
    for (const [p, t] of built) expect([p, typeof t === 'string']).toEqual([p, !p.endsWith('.hbs')]);
  });

  test('the module is ASCII only (Node reads it on its fast path), though it holds the Chinese README (rendered byte-identical below)', () => {
    expect(precompiledModule(texts)).not.toMatch(/[\u0080-\uffff]/);
    expect(texts.get('base/README.zh-CN.md.hbs')).toMatch(/[\u4e00-\u9fff]/);
  });

  test.each(combos)('--db $db --session-store $sessionStore, miniprogram $miniprogram: byte-identical files', (o) => {
    const options = resolveOptions({ projectName: 'demo', pm: 'npm', ...o });
    const fromText = render(options, texts);
    const fromBuild = render(options, built);
    expect([...fromBuild.keys()]).toEqual([...fromText.keys()]);
    for (const [p, contents] of fromText) expect([p, fromBuild.get(p)]).toEqual([p, contents]);
  });

  test('rendering precompiled templates does not load the handlebars compiler', () => {
    jest.isolateModules(() => {
      jest.doMock('handlebars', () => {
        throw new Error('the full handlebars compiler was loaded');
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('../../src/render') as typeof import('../../src/render');
      expect(isolated.render(resolveOptions({ projectName: 'demo', pm: 'npm' }), built).get('README.md')).toContain('# demo');
      expect(() => isolated.render(resolveOptions({ projectName: 'demo', pm: 'npm' }), texts)).toThrow(
        'the full handlebars compiler was loaded',
      );
    });
  });

  test('strict mode survives precompilation: a missing variable is an error, not an empty string', () => {
    const broken = precompiled(new Map([['base/x.txt.hbs', 'value: {{noSuchField}}']]));
    expect(() => render(resolveOptions({ projectName: 'demo', pm: 'npm' }), broken)).toThrow(/"noSuchField" not defined/);
  });

  test('loadTemplates(dir) reads that folder; without a folder and without a build it reads templates/', () => {
    expect(loadTemplates(path.join(__dirname, '..', '..', 'templates'))).toEqual(
      readTemplates(path.join(__dirname, '..', '..', 'templates')),
    );
    expect([...loadTemplates().keys()]).toEqual([...texts.keys()].sort());
  });
});
