/** Terminal output: colours only on a TTY without NO_COLOR; a spinner only on a TTY. */
const useColor = process.stdout.isTTY === true && !('NO_COLOR' in process.env);
const paint = (code: number) => (s: string) => (useColor ? `\x1b[${code}m${s}\x1b[0m` : s);

export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const cyan = paint(36);
export const dim = paint(2);
export const bold = paint(1);

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Shows `label` with a spinner (TTY) or a start line (pipes), and returns a function that ends it. */
export function progress(label: string): (ok: boolean, note?: string) => void {
  const started = Date.now();
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let timer: NodeJS.Timeout | undefined;
  if (process.stdout.isTTY) {
    let i = 0;
    timer = setInterval(() => {
      process.stdout.write(`\r${cyan(frames[i++ % frames.length])} ${label} ${dim(seconds(Date.now() - started))}`);
    }, 80);
  } else {
    process.stdout.write(`… ${label}\n`);
  }
  return (ok, note) => {
    if (timer) {
      clearInterval(timer);
      process.stdout.write('\r\x1b[K');
    }
    const mark = ok ? green('✔') : red('✖');
    process.stdout.write(`${mark} ${label} ${dim(`(${seconds(Date.now() - started)})`)}${note ? ` ${note}` : ''}\n`);
  };
}
