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

/** One JSON line per event on stdout (or `destination`); `npm run dev` pipes it through pino-pretty. */
export function createLogger(o: LoggerOptions = {}, destination?: DestinationStream): Logger {
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
