import pino from 'pino';

/**
 * One JSON line per event, pino-style: `log.error({ err }, 'redis error')`. The older
 * `log.info('msg', { fields })` form is still accepted (its fields are kept) while callers move over.
 * Callers pass only what is safe to keep: never a token, a secret or a session_key.
 */
interface LogCall {
  (fields: object, msg?: string): void;
  (msg: string, fields?: Record<string, unknown>): void;
}
export interface Logger {
  info: LogCall;
  error: LogCall;
}

export function createLogger(destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (typeof first === 'string' && typeof second === 'object' && second !== null) {
          return method.call(this, second, first);
        }
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** For tests: keeps every line so that they can check what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(createLogger({ write: (s: string) => void lines.push(s) }), { lines });
}
