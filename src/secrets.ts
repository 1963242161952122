import { randomBytes } from 'node:crypto';
import type { FileMap } from './render';
import type { FileToWrite } from './write';
import { sortedByPath } from './sorted';

/** A fresh JWT secret: 48 random bytes, base64url (64 characters). */
export function newJwtSecret(random: (n: number) => Buffer = randomBytes): string {
  return random(48).toString('base64url');
}

/** A fresh password for compose.yaml's database server: 24 random bytes, hex (safe in a URL and in YAML). */
export function newPassword(random: (n: number) => Buffer = randomBytes): string {
  return random(24).toString('hex');
}

/** The empty `.env.example` lines the generator fills with a fresh password in `.env` (compose.yaml's). */
export const GENERATED_PASSWORDS = ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD'] as const;

/** `.env.example`'s first line, which speaks to a reader of the example; `.env` begins with its own. */
const EXAMPLE_HEADER = '# Copy to .env and fill in. create-wx-backend already wrote a .env with a fresh JWT_SECRET.\n';
const ENV_HEADER = "# This project's settings (from .env.example, with freshly generated secrets). Never commit this file.\n";

/**
 * Adds the project's private `.env` (mode 0600) to the rendered files: `.env.example` with a freshly
 * generated `JWT_SECRET`, and a fresh password on each empty GENERATED_PASSWORDS line (compose.yaml's
 * database server). Kept out of render so that render stays deterministic and no secret is ever in a
 * template or a snapshot.
 */
export function withSecrets(files: FileMap, secret = newJwtSecret(), password = newPassword): Map<string, FileToWrite> {
  const out = new Map<string, FileToWrite>();
  for (const [p, contents] of files) out.set(p, { contents, mode: p.endsWith('.sh') ? 0o755 : 0o644 });
  const example = files.get('.env.example');
  if (example === undefined) throw new Error('templates have no .env.example');
  if (!/^JWT_SECRET=$/m.test(example)) throw new Error('.env.example has no empty JWT_SECRET= line');
  if (!example.startsWith(EXAMPLE_HEADER)) throw new Error(`.env.example does not begin with "${EXAMPLE_HEADER}"`);
  let env = ENV_HEADER + example.slice(EXAMPLE_HEADER.length).replace(/^JWT_SECRET=$/m, `JWT_SECRET=${secret}`);
  for (const name of GENERATED_PASSWORDS) env = env.replace(new RegExp(`^${name}=$`, 'm'), () => `${name}=${password()}`);
  out.set('.env', { contents: env, mode: 0o600 });
  return new Map(sortedByPath(out));
}
