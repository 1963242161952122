import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { wechatRequest } from '../src/wechat/http';
import { MAX_IMAGE_BYTES, wechatImage } from '../src/wechat/image-answer';

/**
 * A stand-in WeChat. `closeIdle()` makes it reset every request that later arrives on a connection
 * open now: what a client meets when WeChat closes its idle kept-alive sockets just as the client sends
 * on one. `drops` resets the next requests, whatever their connection.
 */
let server: http.Server;
let url: string;
let drops = 0;
let sockets: Socket[] = []; // by connection number - 1
let closed = new Set<Socket>();
let seen: number[] = []; // per request, the number of the connection it came on
const closeIdle = () => (closed = new Set(sockets));

beforeEach(async () => {
  [drops, sockets, closed, seen] = [0, [], new Set(), []];
  server = http.createServer((req, res) => {
    seen.push(sockets.indexOf(req.socket) + 1);
    if (closed.has(req.socket) || drops-- > 0) return req.socket.resetAndDestroy();
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ errcode: 0, n: seen.length }));
  });
  server.on('connection', (s: Socket) => sockets.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/x`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const get = (timeoutMs = 2000) => wechatRequest(url, { method: 'GET' }, timeoutMs);
/** Two requests at once: two kept-alive sockets left idle in the client's pool. */
const twoIdleSockets = async () => {
  await Promise.all([get(), get()]);
  expect(new Set(seen)).toEqual(new Set([1, 2]));
};

test('WeChat closed its idle kept-alive sockets: a GET that meets the reset goes once more on a connection of its own, and is answered', async () => {
  await twoIdleSockets();
  closeIdle();
  await expect(get()).resolves.toMatchObject({ errcode: 0 });
  expect(seen.slice(2)).toHaveLength(2); // the reset one on an old socket, then one on a new connection
  expect(seen[2]).toBeLessThanOrEqual(2);
  expect(seen[3]).toBe(3);
});

test('the same for a POST marked idempotent (stable_token without force_refresh)', async () => {
  await twoIdleSockets();
  closeIdle();
  await expect(wechatRequest(url, { method: 'POST', body: '{}', idempotent: true }, 2000)).resolves.toMatchObject({ errcode: 0 });
  expect(seen).toHaveLength(4);
});

test('a POST that acts (a message sent, a forced refresh) is never sent twice: a reset is WECHAT_UNAVAILABLE', async () => {
  await get();
  closeIdle();
  await expect(wechatRequest(url, { method: 'POST', body: '{}' }, 2000)).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE', status: 502 });
  expect(seen).toEqual([1, 1]);
});

test('only once: a second reset is WECHAT_UNAVAILABLE', async () => {
  await get();
  drops = 2;
  await expect(get()).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE', status: 502 });
  expect(seen).toEqual([1, 1, 2]);
});

test('a reset on a new connection is not retried: WECHAT_UNAVAILABLE, sent once', async () => {
  drops = 1;
  await expect(get()).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
  expect(seen).toEqual([1]);
});

test('a reset after the answer began is not retried: WECHAT_UNAVAILABLE, sent once', async () => {
  await get();
  server.removeAllListeners('request');
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push(0);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' }).flushHeaders();
    setTimeout(() => req.socket.resetAndDestroy(), 20);
  });
  await expect(get()).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
  await new Promise((r) => setTimeout(r, 100)); // a retry would arrive here
  expect(seen).toEqual([1, 0]);
});

test('a timeout on a kept-alive socket is not retried: WECHAT_TIMEOUT, sent once', async () => {
  await get();
  server.removeAllListeners('request');
  server.on('request', () => seen.push(0)); // never answers
  await expect(get(200)).rejects.toMatchObject({ code: 'WECHAT_TIMEOUT', status: 504 });
  await new Promise((r) => setTimeout(r, 100)); // a retry would arrive here
  expect(seen).toEqual([1, 0]);
});

test('an image answer is read up to its own cap (2 MB), past the 64 KB of a JSON answer; beyond it, WECHAT_BAD_RESPONSE', async () => {
  let size = 0;
  server.removeAllListeners('request');
  server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
    res.setHeader('content-type', 'image/png').end(Buffer.alloc(size, 1));
  });
  const image = () => wechatImage(url, { method: 'POST', body: '{}' }, 2000);
  size = 200 * 1024;
  expect((await image()).length).toBe(size);
  size = MAX_IMAGE_BYTES + 1;
  await expect(image()).rejects.toMatchObject({ code: 'WECHAT_BAD_RESPONSE', status: 502 });
});
