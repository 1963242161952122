import './platform/node-version'; // first: a clear line on an unsupported Node
import http from 'node:http';
import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { databaseProblem } from './platform/database-problems';
import { createDeps } from './deps';
import { migrate } from './migrate/migrate';
import { createLogger } from './platform/log';
import { Drain } from './platform/shutdown';
import { warmUp } from './platform/warm-up';
import { startSweeping } from './push/sweep';
import { wechatRequest } from './wechat/http';

/** Loads `.env` if there is one (variables already set in the environment win); false when there is none. */
function loadDotEnv(): boolean {
  try {
    process.loadEnvFile('.env');
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return false;
  }
}

/** A problem the operator fixes (bad .env, busy port, Redis down): one line, exit 1, no stack. */
function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** A signal came before the app listened: one line, exit 1 (it never served, so it did not stop cleanly). */
function stoppedBeforeStart(): never {
  console.error('stopped before start-up finished');
  process.exit(1);
}

async function main(): Promise<void> {
  const hasDotEnv = loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    // No .env and no settings in the environment either: the fix is the file, not five variables.
    if (err instanceof ConfigError && !hasDotEnv) {
      fail(`No .env file in ${process.cwd()}: create it with \`cp .env.example .env\` and fill in the values it asks for.`);
    }
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  const log = createLogger({ level: config.logLevel });

  // Signals first: node as PID 1 ignores a SIGTERM it has no handler for, so an instance still waiting
  // (for the migration lock, the database) could only be killed. Before listening there is nothing to
  // drain: the step under way ends (the lock wait at once; a migration rolls back or finishes, as the
  // database does), what is open closes, exit 1; a step that does not end gets SHUTDOWN_TIMEOUT_MS.
  const starting = new AbortController();
  let onSignal = (signal: NodeJS.Signals) => {
    if (starting.signal.aborted) return;
    log.info({ signal }, 'stopping before start-up finished');
    starting.abort();
    setTimeout(stoppedBeforeStart, config.shutdownTimeoutMs);
  };
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  process.on('SIGINT', () => onSignal('SIGINT'));
  const stopIfAsked = async (close?: () => Promise<void>) => {
    if (!starting.signal.aborted) return;
    await close?.().catch(() => undefined);
    stoppedBeforeStart();
  };

  // Several instances may start at once: a database lock lets one apply, the others wait, then find none.
  if (config.migrateOnStart) {
    const applied = await migrate(config.databaseUrl, {
      signal: starting.signal,
      onWait: () => log.info('waiting for the migration lock: another instance is applying migrations'),
    }).catch((err: Error) => (starting.signal.aborted ? stoppedBeforeStart() : fail(`MIGRATE_ON_START: ${err.message}`)));
    log.info({ applied }, applied.length ? 'migrations applied' : 'migrations: the database is up to date');
  }
  await stopIfAsked();
  const deps = await createDeps(config, log);
  await stopIfAsked(() => deps.close());
  // Before listening: the first requests are not slower than the rest.
  await warmUp({ ...deps, post: wechatRequest }).catch((err: unknown) => {
    const problem = databaseProblem(err); // never migrated, or access denied: one line that says the fix
    if (problem) log.error({ code: problem.code }, `${problem.message} Starting anyway: /readyz answers 503 until then.`);
    else log.warn({ err }, 'warm-up failed (is the database migrated and reachable, and the session store up?): starting anyway');
  });
  await stopIfAsked(() => deps.close());

  const stopSweeping = startSweeping(deps.prisma, log); // rows that only grow: push receipts, decided media checks

  const drain = new Drain(config.shutdownTimeoutMs);
  const server = http.createServer(drain.wrap(createApp(deps).callback()));
  server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive, so nginx closes first
  server.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') fail(`PORT ${config.port} is in use (another instance, or another program): set PORT in .env.`);
    if (err.code === 'EACCES') fail(`PORT ${config.port} needs privileges: use a port above 1023 behind nginx.`);
    throw err;
  });
  server.listen(config.port, config.host, () => log.info({ host: config.host, port: config.port }, 'listening'));

  // SIGTERM (PM2, systemd): stop accepting, let requests in flight finish, close the stores, exit.
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    stopSweeping();
    const finished = await drain.stop(server);
    if (!finished) log.warn({ timeoutMs: config.shutdownTimeoutMs }, 'requests still running at the shutdown bound were cut');
    const closed = await deps.close().then(
      () => true,
      (err: unknown) => (log.error({ err }, 'closing the stores failed'), false),
    );
    if (closed) log.info('stopped: requests finished, stores closed');
    process.exit(finished && closed ? 0 : 1);
  };
  onSignal = (signal) => void stop(signal);
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
