import { migrate } from './migrate';

/** Ctrl-C or SIGTERM: stop waiting for the lock, or stop after the migration under way. */
const stopping = new AbortController();
process.once('SIGTERM', () => stopping.abort());
process.once('SIGINT', () => stopping.abort());

/**
 * `node dist/migrate/cli.js` (in the image: `docker compose run --rm app node dist/migrate/cli.js`):
 * applies the committed migrations to DATABASE_URL and says which, or says in one line why not.
 */
async function main(): Promise<void> {
  try {
    process.loadEnvFile('.env');
  } catch {
    // no .env: the environment holds DATABASE_URL (as in a container)
  }
  const url = process.env.DATABASE_URL?.trim();
  if (!url) throw new Error('DATABASE_URL is missing');
  const applied = await migrate(url, {
    signal: stopping.signal,
    onWait: () => console.log('waiting for the migration lock: another instance is applying migrations'),
  });
  console.log(applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'the database is up to date');
}

main().catch((err: unknown) => {
  const reason = stopping.signal.aborted ? 'stopped before they finished' : err instanceof Error ? err.message : String(err);
  console.error(`migrations: ${reason}`);
  process.exit(1);
});
