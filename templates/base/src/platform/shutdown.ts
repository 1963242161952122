import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Graceful stop for an HTTP server behind nginx. Once `stop()` is called: no new connections; requests in
 * flight finish and their answers carry `Connection: close`; a new request on a kept-alive socket is not
 * read (its socket is closed unanswered, so nothing was done with it: a login code is not used up, and
 * nginx may pass an idempotent request to another instance). After `timeoutMs` whatever is left is cut.
 */
export class Drain {
  private stopping = false;
  private readonly active = new Set<ServerResponse>();
  /** Answers in progress per socket: a socket still answering must not be cut by a newcomer on it. */
  private readonly busy = new WeakMap<Socket, number>();

  constructor(private readonly timeoutMs: number) {}

  /** The app's request handler, wrapped so that requests arriving after `stop()` are refused. */
  wrap(handle: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket;
      if (this.stopping) {
        // Not read, not answered. A socket still answering an earlier request closes after that answer
        // (it says Connection: close); an idle one closes now.
        if (!this.busy.get(socket)) socket.destroy();
        return;
      }
      this.active.add(res);
      this.busy.set(socket, (this.busy.get(socket) ?? 0) + 1);
      res.once('close', () => {
        this.active.delete(res);
        this.busy.set(socket, (this.busy.get(socket) ?? 1) - 1);
      });
      handle(req, res);
    };
  }

  /** Resolves true when every request finished in time, false when some had to be cut. */
  stop(server: Server): Promise<boolean> {
    this.stopping = true;
    for (const res of this.active) {
      if (!res.headersSent) res.setHeader('Connection', 'close');
      // an answer already on its way keeps its socket alive: close it as soon as it is idle
      res.once('close', () => setImmediate(() => server.closeIdleConnections()));
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.closeAllConnections();
        resolve(false);
      }, this.timeoutMs);
      timer.unref();
      server.close(() => {
        clearTimeout(timer);
        resolve(true);
      });
      server.closeIdleConnections();
    });
  }
}
