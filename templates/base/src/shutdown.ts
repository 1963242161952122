import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/**
 * Graceful stop for an HTTP server behind nginx. Once `stop()` is called: no new connections; requests in
 * flight finish and their answers carry `Connection: close`; a new request on a kept-alive socket is not
 * read (its socket is closed unanswered, so nothing was done with it: a login code is not used up, and
 * nginx may pass an idempotent request to another instance). After `timeoutMs` whatever is left is cut.
 */
export class Drain {
  private stopping = false;
  private readonly active = new Set<ServerResponse>();

  constructor(private readonly timeoutMs: number) {}

  /** The app's request handler, wrapped so that requests arriving after `stop()` are refused. */
  wrap(handle: RequestListener): RequestListener {
    return (req: IncomingMessage, res: ServerResponse) => {
      if (this.stopping) {
        req.socket.destroy();
        return;
      }
      this.active.add(res);
      res.once('close', () => this.active.delete(res));
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
