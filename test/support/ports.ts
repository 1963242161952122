import net from 'node:net';

/** Ports per Jest worker: one slice each, so two test files running at once never draw the same port. */
const SLICE = 2000;
const LOWEST = 10_000;
const SLICES = 11; // 10000–31999: below Linux's ephemeral range (32768–60999)

/** Ports this worker has handed out: two draws with nothing bound between them must not meet. */
const handedOut = new Set<number>();

function bindable(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen({ port, host, exclusive: true }, () => s.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive ports, each checked free, for servers a test starts itself (nginx, app instances,
 * containers). Never from the ephemeral range: there any outgoing connection can take a port between
 * the check and the server's bind (a CI run's nginx failed with "Address already in use" on one).
 */
export async function freePorts(count: number, host = '0.0.0.0'): Promise<number[]> {
  const worker = Number(process.env.JEST_WORKER_ID ?? 1);
  const from = LOWEST + ((worker - 1) % SLICES) * SLICE;
  for (let attempt = 0; attempt < 50; attempt++) {
    const start = from + Math.floor(Math.random() * (SLICE - count));
    const block = Array.from({ length: count }, (_, i) => start + i);
    if (block.some((p) => handedOut.has(p))) continue;
    if ((await Promise.all(block.map((p) => bindable(p, host)))).every(Boolean)) {
      for (const p of block) handedOut.add(p);
      return block;
    }
  }
  throw new Error(`no ${count} consecutive free ports in ${from}-${from + SLICE - 1} after 50 draws`);
}

export async function freePort(host?: string): Promise<number> {
  return (await freePorts(1, host))[0];
}
