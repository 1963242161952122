import fs from 'node:fs';
import path from 'node:path';
import { DATABASES, SESSION_STORES, resolveOptions } from '../../src/options';
import { render } from '../../src/render';
import { templates } from '../support/templates';

/**
 * The Chinese READMEs are the ones most Mini Program developers read first: they must say everything the
 * English ones say. A translation cannot be compared word for word, so its skeleton is: the same sections
 * in the same order, the same code blocks (comments aside), the same commands, and a link to the other
 * language at the top.
 */
interface Skeleton {
  headings: string[];
  code: string[];
  commands: string[];
}

const COMMAND = /^(npm|npx|pnpm|yarn|node|sudo|pm2|systemctl|nginx|curl|sh|git|cd|cp|ln|openssl|printf|create-wx-backend)\b/;

function skeleton(markdown: string): Skeleton {
  const blocks = [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const prose = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const stripComment = (line: string) =>
    line
      .replace(/\s+(#|\/\/).*$/, '')
      .replace(/^\s*(#|\/\/).*$/, '')
      .trimEnd();
  return {
    // heading levels, and any code in a heading (names of routes, files, settings)
    headings: [...prose.matchAll(/^(#{1,6}) (.*)$/gm)].map((m) => `${m[1]} ${[...m[2].matchAll(/`[^`]+`/g)].join(' ')}`.trim()),
    code: blocks.map((b) => b.split('\n').map(stripComment).filter(Boolean).join('\n')),
    commands: [...new Set([...prose.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]).filter((c) => COMMAND.test(c)))].sort(),
  };
}

function expectSameSkeleton(english: string, chinese: string, englishName: string, chineseName: string): void {
  expect(chinese).toMatch(/[\u4e00-\u9fff]/); // it is Chinese
  const [en, zh] = [skeleton(english), skeleton(chinese)];
  expect(zh.headings).toEqual(en.headings);
  expect(zh.code).toEqual(en.code);
  expect(zh.commands).toEqual(en.commands);
  const top = (text: string) => text.split('\n').slice(0, 5).join('\n');
  expect(top(english)).toContain(`(${chineseName})`);
  expect(top(chinese)).toContain(`(${englishName})`);
}

test("the generator's README.zh-CN.md follows README.md", () => {
  const root = path.join(__dirname, '..', '..');
  const read = (name: string) => fs.readFileSync(path.join(root, name), 'utf8');
  expectSameSkeleton(read('README.md'), read('README.zh-CN.md'), 'README.md', 'README.zh-CN.md');
});

const combos = DATABASES.flatMap((db) =>
  SESSION_STORES.flatMap((sessionStore) => [true, false].map((miniprogram) => [db, sessionStore, miniprogram] as const)),
);

test.each(combos)(
  'the generated README.zh-CN.md follows README.md (--db %s --session-store %s, miniprogram %s)',
  (db, sessionStore, miniprogram) => {
    const files = render(resolveOptions({ projectName: 'demo', db, sessionStore, miniprogram, pm: 'npm' }), templates);
    expectSameSkeleton(files.get('README.md')!, files.get('README.zh-CN.md')!, 'README.md', 'README.zh-CN.md');
  },
);

test.each(DATABASES)('with --pay, the generated README.zh-CN.md follows README.md and names the same settings (--db %s)', (db) => {
  const files = render(resolveOptions({ projectName: 'demo', db, pay: true, pm: 'npm' }), templates);
  expectSameSkeleton(files.get('README.md')!, files.get('README.zh-CN.md')!, 'README.md', 'README.zh-CN.md');
  expect(settingNames(files.get('README.md')!)).toEqual(expect.arrayContaining(['WXPAY_MCHID', 'WXPAY_NOTIFY_URL']));
  expect(settingNames(files.get('README.zh-CN.md')!)).toEqual(settingNames(files.get('README.md')!));
});

test('the skeleton notices a missing section, a changed command and a dropped code block', () => {
  const en = '# A\n[中文](README.zh-CN.md)\n\n## Set-up\n\nRun `npm run dev`.\n\n```sh\nnpm test   # all\n```\n';
  const zh = '# A\n[English](README.md)\n\n## 安装\n\n运行 `npm run dev`。\n\n```sh\nnpm test   # 全部\n```\n';
  expect(() => expectSameSkeleton(en, zh, 'README.md', 'README.zh-CN.md')).not.toThrow();
  expect(() => expectSameSkeleton(en, zh.replace('## 安装\n', ''), 'README.md', 'README.zh-CN.md')).toThrow();
  expect(() => expectSameSkeleton(en, zh.replace('npm run dev', 'npm run start'), 'README.md', 'README.zh-CN.md')).toThrow();
  expect(() => expectSameSkeleton(en, zh.replace(/```sh[\s\S]*```\n/, ''), 'README.md', 'README.zh-CN.md')).toThrow();
});

/** The names in the settings table's first column (`A`, `B` or `A`、`B`), in the README's order. */
function settingNames(markdown: string): string[] {
  return [...markdown.matchAll(/^\| ((?:`[A-Z][A-Z0-9_]*`(?:, |、)?)+) \|/gm)].flatMap((m) =>
    [...m[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((n) => n[1]),
  );
}

test.each(combos)(
  "the generated README.zh-CN.md's settings table names every setting of README.md's, in its order (--db %s --session-store %s, miniprogram %s)",
  (db, sessionStore, miniprogram) => {
    const files = render(resolveOptions({ projectName: 'demo', db, sessionStore, miniprogram, pm: 'npm' }), templates);
    const english = settingNames(files.get('README.md')!);
    expect(english).toEqual(expect.arrayContaining(['NODE_ENV', 'WX_APPID', 'WX_SECRET', 'JWT_SECRET', 'DATABASE_URL']));
    expect(settingNames(files.get('README.zh-CN.md')!)).toEqual(english);
  },
);

test.each(DATABASES)('the Containers section tells how a container reaches its database, in both languages (--db %s)', (db) => {
  const files = render(resolveOptions({ projectName: 'demo', db, sessionStore: 'redis', pm: 'npm' }), templates);
  for (const readme of ['README.md', 'README.zh-CN.md']) {
    const text = files.get(readme)!;
    if (db === 'sqlite') {
      // the one-off migration runs on the app's own volume and file, not .env's file:./dev.db
      expect(text).toContain(
        'docker run --rm --env-file .env -e DATABASE_URL=file:/data/app.db -v demo-data:/data demo node dist/migrate/cli.js',
      );
      expect(text).not.toContain('host.docker.internal');
    } else {
      const port = db === 'postgresql' ? 5432 : 3306;
      expect(text).toContain(`-e DATABASE_URL=${db}://<user>:<password>@host.docker.internal:${port}/<database>`);
      expect(text).toContain('-e REDIS_URL=redis://:<password>@host.docker.internal:6379');
      expect(text).toContain('--add-host=host.docker.internal:host-gateway');
      expect(text).toContain('docker run --rm --env-file .env demo node dist/migrate/cli.js');
    }
  }
});

test.each([
  ['sqlite', false, 'vm'],
  ['postgresql', true, 'vm'],
  ['mysql', false, 'cloudrun'],
] as const)(
  'every `npm run <script>` the generated READMEs name is a script of its package.json (--db %s, pay %s, --target %s)',
  (db, pay, target) => {
    const files = render(resolveOptions({ projectName: 'demo', db, pay, target, pm: 'npm' }), templates);
    const scripts = Object.keys(JSON.parse(files.get('package.json')!).scripts);
    for (const readme of ['README.md', 'README.zh-CN.md']) {
      const named = [...new Set([...files.get(readme)!.matchAll(/\bnpm run ([\w:-]+)/g)].map((m) => m[1]))];
      expect(named).toEqual(expect.arrayContaining(['dev:mock', 'db:migrate', 'db:deploy']));
      expect(named.filter((script) => !scripts.includes(script))).toEqual([]);
    }
  },
);
