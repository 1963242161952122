import { createApp } from './app';
import { ConfigError, loadConfig } from './config';
import { createDeps } from './deps';
import { createLogger } from './log';

/** Loads `.env` if there is one; variables already set in the environment win. */
function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const log = createLogger();
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
  const deps = await createDeps(config, log);
  const server = createApp(deps).listen(config.port, config.host, () => {
    log.info('listening', { host: config.host, port: config.port, sessionStore: config.sessionStore });
  });
  server.keepAliveTimeout = 65_000; // longer than nginx's upstream keepalive, so nginx closes first

  // SIGTERM (PM2, systemd, docker): stop accepting, let requests in flight finish, then close stores.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => process.exit(1), 10_000).unref();
    server.close(() => {
      deps.close().then(() => process.exit(0), () => process.exit(1));
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => log.error('unhandled rejection', { err }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
