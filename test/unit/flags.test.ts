import { Command } from 'commander';
import { FLAGS, answersFromFlags, flagOptions } from '../../src/flags';
import { resolveOptions } from '../../src/options';

const parse = (args: string[]) => {
  const cmd = new Command().exitOverride();
  for (const option of flagOptions()) cmd.addOption(option);
  return answersFromFlags(cmd.parse(args, { from: 'user' }).opts());
};

test('every option the generator has is one row of the flag table, and each row fills one option', () => {
  const options = Object.keys(resolveOptions({ projectName: 'demo' })).sort();
  expect(FLAGS.map((f) => f.answer).sort()).toEqual(options);
});

test('the table turns flags into answers: values, switches that are on by default, and nothing for flags not given', () => {
  expect(parse(['--db', 'postgresql', '--session-store', 'redis', '--name', 'shop', '--no-git', '--target', 'cloudrun'])).toEqual(
    expect.objectContaining({
      target: 'cloudrun',
      db: 'postgresql',
      sessionStore: 'redis',
      projectName: 'shop',
      git: false,
      install: true,
      miniprogram: true,
    }),
  );
  const none = parse([]);
  for (const f of FLAGS.filter((row) => !row.flags.startsWith('--no-'))) expect([f.answer, none[f.answer]]).toEqual([f.answer, undefined]);
});

test('--help shows each default the table declares', () => {
  const help = flagOptions().map((o) => o.description);
  expect(help).toContain('database: sqlite | postgresql | mysql (default: sqlite)');
  expect(help).toContain(
    'where it runs: vm | cloudrun (a server with nginx and PM2/systemd, or 微信云托管 WeChat Cloud Run) (default: vm)',
  );
  expect(help).toContain('Mini Program AppID (wx + 16 hex digits) (default: empty)');
});
