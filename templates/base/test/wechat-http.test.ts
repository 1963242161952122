import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { wechatRequest } from '../src/wechat/http';

/**
 * A stand-in WeChat that resets the connection instead of answering its next `drops` requests: what a
 * client meets when WeChat closes an idle kept-alive socket just as the client sends on it.
 */
let server: http.Server;
let url: string;
let drops = 0;
let seen: number[] = []; // per request, the number of the connection it came on
beforeEach(async () => {
  drops = 0;
  seen = [];
  const connections = new Map<object, number>();
  server = http.createServer((req, res) => {
    if (!connections.has(req.socket)) connections.set(req.socket, connections.size + 1);
    seen.push(connections.get(req.socket)!);
    if (drops > 0) {
      drops--;
      return req.socket.resetAndDestroy();
    }
    res.setHeader('content-type', 'application/json').end(JSON.stringify({ errcode: 0, n: seen.length }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cgi-bin/x`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('a reset on a kept-alive socket before any answer: sent once more on a new connection, and answered', async () => {
  await expect(wechatRequest(url, { method: 'GET' }, 2000)).resolves.toMatchObject({ n: 1 });
  drops = 1;
  await expect(wechatRequest(url, { method: 'GET' }, 2000)).resolves.toMatchObject({ n: 3 });
  expect(seen).toEqual([1, 1, 2]); // the reused socket, reset; then a new one
});

test('only once: a second reset is WECHAT_UNAVAILABLE', async () => {
  await wechatRequest(url, { method: 'GET' }, 2000);
  drops = 2;
  await expect(wechatRequest(url, { method: 'POST', body: '{}' }, 2000)).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE', status: 502 });
  expect(seen).toEqual([1, 1, 2]);
});

test('a reset on a new connection is not retried: WECHAT_UNAVAILABLE, sent once', async () => {
  server.closeAllConnections(); // no kept-alive socket left to reuse
  await new Promise((r) => setTimeout(r, 50));
  drops = 1;
  await expect(wechatRequest(url, { method: 'GET' }, 2000)).rejects.toMatchObject({ code: 'WECHAT_UNAVAILABLE' });
  expect(seen).toHaveLength(1);
});

test('a timeout on a kept-alive socket is not retried: WECHAT_TIMEOUT, sent once', async () => {
  await wechatRequest(url, { method: 'GET' }, 2000);
  server.removeAllListeners('request');
  server.on('request', () => seen.push(0)); // never answers
  await expect(wechatRequest(url, { method: 'GET' }, 200)).rejects.toMatchObject({ code: 'WECHAT_TIMEOUT', status: 504 });
  await new Promise((r) => setTimeout(r, 100)); // a retry would arrive here
  expect(seen).toEqual([1, 0]);
});
