import fs from 'node:fs';
import path from 'node:path';

/** The committed migrations, oldest first: what `prisma migrate deploy` would run. */
export function migrationScripts(dir = path.join(__dirname, '..', 'prisma', 'migrations')): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8'));
}
