/** Starting, watching and stopping the servers under test. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves once something accepts TCP connections on the port (polled every 2 ms). */
export async function waitForPort(port, child, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${child.spawnargs.join(' ')} exited ${child.exitCode} before listening:\n${child.output ?? ''}`);
    const up = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await sleep(2);
  }
  throw new Error(`nothing listening on ${port} after ${timeoutMs} ms:\n${child.output ?? ''}`);
}

// Below Linux's ephemeral range (32768+): the load generator's own client sockets take ports there, and a
// server could not listen on one of them.
let nextPort = 12_000 + (process.pid % 1000) * 16;
/** A port for the next server: a block per bench process, so two runs do not meet. */
export const freePort = () => nextPort++;

/**
 * Spawns a server and waits until it listens; `listeningMs` is spawn → first accepted connection.
 * stdout goes to /dev/null (the request log is written, as in production, but costs the bench nothing);
 * stderr is kept for error messages. `node` is the first on PATH (bench.mjs puts Node 22 there).
 */
export async function startServer({ command = 'node', args, cwd, env, port }) {
  const started = performance.now();
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.output = '';
  child.stderr.on('data', (d) => (child.output = (child.output + d).slice(-8000)));
  await waitForPort(port, child);
  return { child, port, url: `http://127.0.0.1:${port}`, started, listeningMs: performance.now() - started };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stop(server, graceMs = 12_000) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size in MB (VmRSS; VmHWM for the peak). */
export function rssMb(pid, field = 'VmRSS') {
  return Number(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+)`))[1]) / 1024;
}
