import { stripVTControlCharacters, styleText } from 'node:util';

type Format = Parameters<typeof styleText>[0];

/**
 * A style for terminal text. `styleText` checks the stream it is given: no colours when that stream is
 * no terminal, or with NO_COLOR / NODE_DISABLE_COLORS (FORCE_COLOR forces them). Text for stderr passes
 * `process.stderr`, so piping one stream does not strip colours from, or leave codes in, the other.
 */
const style =
  (format: Format) =>
  (text: string, stream: NodeJS.WritableStream = process.stdout): string =>
    styleText(format, text, { stream });

export const red = style('red');
export const green = style('green');
export const yellow = style('yellow');
export const cyan = style('cyan');
export const dim = style('dim');
export const bold = style('bold');

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** "42s", "3m05s": elapsed time on the live line, whole seconds. */
export function elapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** `text` cut to `width` columns (…), for a line that must not wrap, or `\r` cannot redraw it. */
export function fit(text: string, width: number): string {
  const plain = stripVTControlCharacters(text);
  return plain.length <= width ? plain : `${plain.slice(0, Math.max(0, width - 1))}…`;
}

/** A step on screen: its current phase (shown on a terminal only), then its end. */
export interface Progress {
  phase: (text: string) => void;
  end: (ok: boolean, note?: string) => void;
}

/**
 * Shows `label` on a live line (a terminal: spinner, elapsed time and the current phase) or as one start
 * line (pipes and CI logs: nothing more until the end), and returns the handle that updates and ends it.
 */
export function progress(label: string): Progress {
  const started = Date.now();
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let timer: NodeJS.Timeout | undefined;
  let phase = '';
  if (process.stdout.isTTY) {
    let i = 0;
    const draw = () => {
      const time = elapsed(Date.now() - started);
      const room = (process.stdout.columns || 80) - label.length - time.length - 6;
      const tail = phase && room > 10 ? ` · ${fit(phase, room)}` : '';
      process.stdout.write(`\r\x1b[K${cyan(frames[i++ % frames.length])} ${label} ${dim(time + tail)}`);
    };
    timer = setInterval(draw, 80);
  } else {
    process.stdout.write(`… ${label}\n`);
  }
  return {
    phase: (text) => {
      phase = text;
    },
    end: (ok, note) => {
      if (timer) {
        clearInterval(timer);
        process.stdout.write('\r\x1b[K');
      }
      const mark = ok ? green('✔') : red('✖');
      process.stdout.write(`${mark} ${label} ${dim(`(${seconds(Date.now() - started)})`)}${note ? ` ${note}` : ''}\n`);
    },
  };
}
