import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/** A long-running child whose output is kept, for servers started by a test. */
export class Proc {
  output = '';
  readonly child: ChildProcess;

  constructor(command: string, args: string[], opts: SpawnOptions = {}) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    this.child.stdout?.on('data', (d) => (this.output += d));
    this.child.stderr?.on('data', (d) => (this.output += d));
  }

  /** Resolves once the output matches; rejects if the process exits first or time runs out. */
  waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const check = () => {
        if (pattern.test(this.output)) return resolve();
        if (this.child.exitCode !== null) return reject(new Error(`exited ${this.child.exitCode} before ${pattern}:\n${this.output}`));
        if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${pattern}:\n${this.output}`));
        setTimeout(check, 50);
      };
      check();
    });
  }

  /** SIGTERM, then waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<void> {
    if (this.child.exitCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
      this.child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill('SIGTERM');
    });
  }
}
