import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Graceful stop for an HTTP server behind nginx. Once `stop()` is called: no new connections; requests in
 * flight finish and their answers carry `Connection: close`; a request that reaches an idle kept-alive
 * socket (sent before the signal, or while the server drains) is answered the same way; idle sockets
 * close once requests already sent have been read. A request pipelined behind one still being answered
 * is not processed: that answer says `Connection: close`, which tells the client it was not (RFC 9112
 * 9.6), so a login code is not used up. After `timeoutMs` whatever is left is cut.
 */
/** How long stop() lets requests already sent on idle sockets be read before it closes those sockets. */
const READ_PENDING_MS = 20;

export class Drain {
  private stopping = false;
  private readonly active = new Set<ServerResponse>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * The app's request handler, wrapped so that requests arriving after `stop()` are refused. Per request
   * it costs one Set entry and one shared listener: which socket is still answering is only looked up
   * once stopping, in the few answers in flight.
   */
  wrap(handle: RequestListener): RequestListener {
    const active = this.active;
    const finished = function (this: ServerResponse) {
      active.delete(this);
    };
    return (req: IncomingMessage, res: ServerResponse) => {
      if (this.stopping) {
        // Pipelined behind an answer that says Connection: close: not processed, the socket closes after it.
        if (this.answering(req.socket)) return;
        res.setHeader('Connection', 'close'); // on an idle socket: answered, then the socket closes
      }
      active.add(res);
      res.on('close', finished);
      handle(req, res);
    };
  }

  /** A socket with an answer still in progress: a newcomer on it must not cut it. */
  private answering(socket: Socket): boolean {
    for (const res of this.active) if (res.req.socket === socket) return true;
    return false;
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
      // server.close() also closes idle sockets: first let the event loop read requests already sent
      // on them (in the socket's buffer at the signal), which then count as in flight and are answered.
      setTimeout(() => {
        server.close(() => {
          clearTimeout(timer);
          resolve(true);
        });
        server.closeIdleConnections();
      }, READ_PENDING_MS);
    });
  }
}
