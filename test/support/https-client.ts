import http from 'node:http';
import https from 'node:https';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  rawHeaders: string[];
  body: string;
  json: () => any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface Call {
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Present for HTTPS: the CA to trust and the host name to send as SNI and Host. */
  tls?: { ca: Buffer; servername: string };
  host?: string;
  /** Which loopback address to send from (nginx rate-limits per address). */
  localAddress?: string;
}

/** One request to a server on loopback, as a client at `localAddress` would send it. */
export function call(c: Call): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const options: https.RequestOptions = {
      host: '127.0.0.1',
      port: c.port,
      method: c.method ?? 'GET',
      path: c.path,
      localAddress: c.localAddress,
      agent: false,
      headers: { ...(c.host ? { host: c.host } : {}), ...(c.body ? { 'content-type': 'application/json' } : {}), ...c.headers },
      ...(c.tls ? { ca: c.tls.ca, servername: c.tls.servername } : {}),
    };
    const req = (c.tls ? https : http).request(options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, body, json: () => JSON.parse(body) }),
      );
    });
    req.on('error', reject);
    req.end(c.body);
  });
}
