/** One JSON line per event. Callers pass only what is safe to keep: never a token, a secret or a session_key. */
export interface Logger {
  info(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

function line(level: string, msg: string, fields: Record<string, unknown> = {}): string {
  const out: Record<string, unknown> = { time: new Date().toISOString(), level, msg };
  for (const [k, v] of Object.entries(fields)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return `${JSON.stringify(out)}\n`;
}

export function createLogger(write: (s: string) => void = (s) => process.stdout.write(s)): Logger {
  return {
    info: (msg, fields) => write(line('info', msg, fields)),
    error: (msg, fields) => write(line('error', msg, fields)),
  };
}

/** For tests: keeps every line so that they can check what was (and was not) logged. */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...createLogger((s) => lines.push(s)) };
}
