import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Fields that must never reach a log line, at the top level and one level down (pino's redaction):
 * the Authorization header, tokens, WeChat's session_key and AppSecret, anything named like a secret.
 */
export const REDACTED = [
  'authorization',
  'token',
  'accessToken',
  'access_token',
  'sessionKey',
  'session_key',
  'secret',
  'wxSecret',
  'jwtSecret',
  'password',
  'encryptedData',
]
  .flatMap((key) => [key, `*.${key}`])
  .concat(['req.headers.authorization', 'headers.authorization']);

export interface LoggerOptions {
  level?: string;
}

/**
 * pino-pretty (a devDependency) for a person at a terminal outside production; JSON lines everywhere else
 * (PM2, systemd, pipes). Loaded in-process, not through a shell pipe, which would hide the app's exit code.
 */
function prettyForTerminal(): DestinationStream | undefined {
  if (process.env.NODE_ENV === 'production' || !process.stdout.isTTY) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return (require('pino-pretty') as typeof import('pino-pretty')).build({ colorize: true, translateTime: 'SYS:HH:MM:ss.l' });
  } catch {
    return undefined; // installed without devDependencies: JSON it is
  }
}

/**
 * stdout without a write(2) per line: lines logged while a write is under way go out together in the
 * next one (so under load a few system calls carry many lines, and an idle app still logs at once).
 * pino writes what is left synchronously when the process exits, process.exit() included.
 */
const stdout = () => pino.destination({ dest: 1, sync: false });

/** One JSON line per event on stdout (or `destination`; pretty at a development terminal). */
export function createLogger(o: LoggerOptions = {}, destination: DestinationStream = prettyForTerminal() ?? stdout()): Logger {
  return pino(
    {
      level: o.level ?? 'info',
      base: undefined, // no pid/hostname on every line: PM2 and systemd already say which process wrote it
      redact: { paths: REDACTED, censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err },
      formatters: { level: (label) => ({ level: label }) }, // "level":"error", not 50: readable without pino-pretty
    },
    destination,
  );
}

/** For tests: keeps every line, so that they can check what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = createLogger({ level: 'debug' }, { write: (s: string) => void lines.push(s) });
  return Object.assign(log, { lines });
}
