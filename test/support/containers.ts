import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { REPO, run, type Run } from './e2e';

/** What .ci/containers set up: podman on runc with explicit ulimits, and the stand-in node image. */
export const CONTAINERS_CONF = path.join(REPO, '.tmp', 'containers', 'containers.conf');
export const NODE_IMAGE = 'docker.io/library/node:22-bookworm-slim';
/** What .ci/compose builds from Debian's packages: compose.yaml's services (its *_IMAGE variables). */
export const STANDIN = {
  postgres: 'localhost/cwb-standin/postgres:bookworm',
  redis: 'localhost/cwb-standin/redis:bookworm',
  nginx: 'localhost/cwb-standin/nginx:bookworm',
};
/** The figures of the last run of test/e2e/containers.test.ts, for `npm run bench` (BENCHMARKS.md). */
export const FIGURES_FILE = path.join(REPO, '.tmp', 'containers', 'figures.json');

export const containerEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ ...process.env, CONTAINERS_CONF, ...extra });

/** Fails at once, with the fix, when .ci/containers has not run on this machine. */
export function requireContainers(): void {
  const ready =
    fs.existsSync(CONTAINERS_CONF) && spawnSync('podman', ['image', 'exists', NODE_IMAGE], { env: containerEnv() }).status === 0;
  if (!ready) throw new Error('podman or the stand-in node image is missing: run .ci/containers first (.ci/run does)');
}

/** Fails at once, with the fix, when .ci/compose has not run on this machine. */
export function requireCompose(): void {
  const ready =
    spawnSync('docker-compose', ['version', '--short']).status === 0 &&
    fs.existsSync('/usr/lib/cni/dnsname') &&
    Object.values(STANDIN).every((image) => spawnSync('podman', ['image', 'exists', image], { env: containerEnv() }).status === 0);
  if (!ready)
    throw new Error('docker-compose, the dnsname plugin or a stand-in service image is missing: run .ci/compose first (.ci/run does)');
}

export function podman(args: string[], timeoutMs = 120_000): Promise<Run> {
  return run('podman', args, { env: containerEnv(), timeoutMs });
}

/**
 * A self-signed certificate for 127.0.0.1, and for host.containers.internal (the host as containers on a
 * compose network reach it); containers trust it by NODE_EXTRA_CA_CERTS.
 */
export function selfSigned(dir: string): { key: string; cert: string; certFile: string } {
  fs.mkdirSync(dir, { recursive: true });
  const [keyFile, certFile] = [path.join(dir, 'key.pem'), path.join(dir, 'cert.pem')];
  const made = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=fake-wechat',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:host.containers.internal',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
  fs.chmodSync(certFile, 0o644);
  return { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8'), certFile };
}

/**
 * HTTPS in front of the fake WeChat (an app in a production image refuses an http WX_API_BASE): on
 * loopback for containers on the host's network, or on every address (`host` 0.0.0.0) for containers on
 * a compose network, which reach it as host.containers.internal; `delayMs` holds each request that long.
 */
export class HttpsFront {
  delayMs = 0;
  port = 0;
  private readonly server: https.Server;

  constructor(
    target: string,
    tls: { key: string; cert: string },
    private readonly host = '127.0.0.1',
  ) {
    this.server = https.createServer(tls, (req, res) => {
      setTimeout(() => {
        const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        up.on('error', () => res.destroy());
        req.pipe(up);
      }, this.delayMs);
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, this.host, resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Polls until `probe` resolves truthy; returns the milliseconds it took from `since`. */
export async function until(what: string, probe: () => Promise<boolean>, since: number, timeoutMs: number): Promise<number> {
  for (;;) {
    if (await probe().catch(() => false)) return Date.now() - since;
    if (Date.now() - since > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
