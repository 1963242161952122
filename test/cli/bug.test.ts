import { run } from '../../src/cli';
import { UserError } from '../../src/errors';
import * as generate from '../../src/generate';

/** In-process: a bug must not be dressed up as a user error. */
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

function captureStderr(): string[] {
  const lines: string[] = [];
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void lines.push(args.join(' ')));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  return lines;
}

test('a bug prints its stack and exits 1', async () => {
  const stderr = captureStderr();
  jest.spyOn(generate, 'generate').mockImplementation(() => {
    throw new TypeError('cannot read properties of undefined');
  });
  await run(['node', 'create-wx-backend', 'demo', '--yes', '--no-install', '--no-git']);
  expect(process.exitCode).toBe(1);
  expect(stderr.join('\n')).toMatch(/^TypeError: cannot read properties of undefined\n\s+at /);
});

test('a user error prints one line and its hint, no stack, and exits 1', async () => {
  const stderr = captureStderr();
  jest.spyOn(generate, 'generate').mockImplementation(() => {
    throw new UserError('Disk is read-only.', 'Choose another folder.');
  });
  await run(['node', 'create-wx-backend', 'demo', '--yes', '--no-install', '--no-git']);
  expect(process.exitCode).toBe(1);
  expect(stderr).toEqual([expect.stringContaining('Disk is read-only.'), expect.stringContaining('Choose another folder.')]);
  expect(stderr.join('\n')).not.toMatch(/\n\s+at /);
});
