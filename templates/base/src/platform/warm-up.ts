import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { jsonBody } from './body';

/** What warm-up needs of the session store; `warmUp` runs its login queries in the given transaction. */
interface WarmStore {
  get(id: string): Promise<unknown>;
  warmUp?(tx: Prisma.TransactionClient, userId: string): Promise<void>;
}

/** How the app calls out (wechat/http.ts's wechatRequest: platform/ imports no feature, so it is handed in). */
export type PostJson = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
  timeoutMs: number,
) => Promise<unknown>;

/** Thrown to roll the warm-up's transaction back. */
class RolledBack extends Error {}

/**
 * One round trip on loopback, between the app's own WeChat call (wechatRequest: node:http, kept-alive)
 * and a throwaway Koa server that parses a JSON body as the app's routes do: the first login would
 * otherwise load and compile Node's HTTP client and parser, and the body parser's character decoders.
 * Nothing leaves the machine, nothing is logged; a failure only means the first login pays for it, so
 * it is not reported.
 */
async function warmHttp(post: PostJson): Promise<void> {
  const app = new Koa();
  app.use(jsonBody());
  app.use((ctx) => {
    ctx.body = { warm: ctx.request.body !== undefined };
  });
  const server = http.createServer(app.callback());
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const init = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{"code":"warm-up"}' };
    await post(`http://127.0.0.1:${port}/`, init, 5000);
  } catch {
    // the first login pays for it instead
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/**
 * What the first requests would otherwise pay for, done before the server listens (the generator's bench:
 * the first login took 124 ms against ~20 ms for the next ones; ~40 ms with this). It leaves no data:
 * - The WeChat client's HTTP calls and the JSON body parser: one round trip on loopback (warmHttp).
 * - jsonwebtoken compiles its signing and checking code on first use: one token is signed and checked.
 * - Prisma opens the database and loads its query compiler on the first query, and plans each query
 *   shape on its first use: a login's reads run as they are; its writes (a new user, the session store's
 *   queries) run in a transaction that is then rolled back.
 * - The session store makes its first round trip (a session that does not exist).
 */
export async function warmUp(d: {
  prisma: PrismaClient;
  store: WarmStore;
  tokens?: { sign(sid: string, expiresAt: Date): string; verify(token: string): unknown };
  /** The app's own outgoing calls: warmed on loopback when given. */
  post?: PostJson;
}): Promise<void> {
  if (d.post) await warmHttp(d.post);
  if (d.tokens) d.tokens.verify(d.tokens.sign('warm-up', new Date(Date.now() + 60_000))); // jsonwebtoken's first use
  await d.prisma.user.findUnique({ where: { openid: '' } });
  await d.store.get('');
  await d.prisma
    .$transaction(async (tx) => {
      const user = await tx.user.create({ data: { openid: `warm-up-${randomBytes(8).toString('hex')}` } });
      await d.store.warmUp?.(tx, user.id);
      throw new RolledBack();
    })
    .catch((err: unknown) => {
      if (!(err instanceof RolledBack)) throw err;
    });
}
