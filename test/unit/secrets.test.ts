import { resolveOptions } from '../../src/options';
import { render } from '../../src/render';
import { newJwtSecret, withSecrets } from '../../src/secrets';
import { templates } from '../support/templates';

const files = render(resolveOptions({ projectName: 'demo', pm: 'npm' }), templates);

test('.env is .env.example with a fresh 48-byte base64url JWT_SECRET, mode 0600', () => {
  const out = withSecrets(files);
  const env = out.get('.env')!;
  expect(env.mode).toBe(0o600);
  const secret = env.contents.match(/^JWT_SECRET=(.*)$/m)![1];
  expect(secret).toMatch(/^[A-Za-z0-9_-]{64}$/);
  expect(Buffer.from(secret, 'base64url')).toHaveLength(48);
  // the example's own first line ("Copy to .env and fill in.") would be wrong in .env itself
  const [header, ...rest] = env.contents.replace(secret, '').split('\n');
  const [exampleHeader, ...exampleRest] = files.get('.env.example')!.split('\n');
  expect(exampleHeader).toMatch(/^# Copy to \.env/);
  expect(header).toBe("# This project's settings (from .env.example, with freshly generated secrets). Never commit this file.");
  expect(rest).toEqual(exampleRest);
});

test('two runs give two secrets', () => {
  expect(newJwtSecret()).not.toBe(newJwtSecret());
});

test('scripts are executable, other files are not', () => {
  const out = withSecrets(files);
  expect(out.get('scripts/self-signed-cert.sh')!.mode).toBe(0o755);
  expect(out.get('src/app.ts')!.mode).toBe(0o644);
});

test('.gitignore keeps .env out of git', () => {
  expect(files.get('.gitignore')!.split('\n')).toContain('.env');
});
