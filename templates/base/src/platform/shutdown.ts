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

/** Node's own field (http-terminator reads it too): the answer a socket is sending now, if any. */
type HttpSocket = Socket & { _httpMessage?: ServerResponse | null };

export class Drain {
  private stopping = false;
  /** The sockets requests came on, until they close: at stop, their answers in flight are found through them. */
  private readonly sockets = new Set<HttpSocket>();

  constructor(private readonly timeoutMs: number) {}

  /**
   * The app's request handler, wrapped so that requests arriving after `stop()` are refused. It tracks
   * sockets, not requests: one Set lookup per request, a Set entry and a 'close' listener per connection
   * (a Set entry and a listener per request cost ~0.5 µs, on kept-alive connections over and over).
   */
  wrap(handle: RequestListener): RequestListener {
    const sockets = this.sockets;
    const closed = function (this: HttpSocket) {
      sockets.delete(this);
    };
    return (req: IncomingMessage, res: ServerResponse) => {
      const socket = req.socket as HttpSocket;
      if (!sockets.has(socket)) {
        sockets.add(socket);
        socket.once('close', closed);
      }
      if (this.stopping) {
        // Node queues the answer of a request pipelined behind one still being sent (res.socket is null
        // until its turn): that one says Connection: close, so this one is not processed.
        if (res.socket !== socket) return;
        res.setHeader('Connection', 'close'); // on an idle socket: answered, then the socket closes
      }
      handle(req, res);
    };
  }

  /** The answer in flight on `socket` says Connection: close if it still can; the socket closes once idle. */
  private closeAfterAnswers(socket: HttpSocket, server: Server): void {
    const res = socket._httpMessage;
    if (!res) return;
    if (!res.headersSent) res.setHeader('Connection', 'close');
    res.once('close', () => {
      // its headers had gone out already: a request pipelined behind it, accepted before stop(), is next
      this.closeAfterAnswers(socket, server);
      setImmediate(() => server.closeIdleConnections());
    });
  }

  /** Resolves true when every request finished in time, false when some had to be cut. */
  stop(server: Server): Promise<boolean> {
    this.stopping = true;
    for (const socket of this.sockets) this.closeAfterAnswers(socket, server); // idle ones are closed below
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
