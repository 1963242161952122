import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  authorization?: string;
  contentType?: string;
  body: Buffer;
}

/** What the stub answers: a status and a JSON body, a raw text body, or no answer at all. */
export type StubAnswer = { status: number; json?: unknown; text?: string } | 'hang';

/**
 * A loopback HTTP server whose answers a test chooses: for what the real backend will not do on demand
 * (a 500, a hang, a 401 for every token) and for routes being built elsewhere (their documented contract).
 */
export async function startStub(answer: (req: StubRequest) => StubAnswer) {
  const hits: StubRequest[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const hit: StubRequest = {
        method: req.method ?? 'GET',
        path: new URL(req.url ?? '/', 'http://stub').pathname,
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks),
      };
      hits.push(hit);
      const a = answer(hit);
      if (a === 'hang') return void hanging.add(res);
      if (a.text !== undefined) return void res.writeHead(a.status, { 'content-type': 'text/html' }).end(a.text);
      if (a.json === undefined) return void res.writeHead(a.status).end();
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Stub = Awaited<ReturnType<typeof startStub>>;
