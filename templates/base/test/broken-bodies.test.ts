import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import zlib from 'node:zlib';
import { startTestApp, type TestApp } from './support/test-app';

/**
 * A client's broken body is that request's 4xx: never a crash of the process, never a 500, never an
 * error-level log line (each would be a cheap way to kill an instance or flood the alerts).
 */
let t: TestApp;
let server: http.Server;
let port: number;
beforeAll(async () => {
  t = await startTestApp({ push: true });
  server = http.createServer(t.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const errorLines = () => t.log.lines.filter((l) => JSON.parse(l).level === 'error');

/** Sends raw bytes on a fresh connection and returns everything the server answered before closing. */
function raw(bytes: string | Buffer, endAfterMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => (answer += d));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
    setTimeout(() => socket.end(), endAfterMs);
  });
}

/** POSTs `body` exactly as given (supertest would serialise a Buffer sent as JSON). */
function post(
  path: string,
  headers: Record<string, string>,
  body: Buffer,
): Promise<{ status: number; body: { error?: { code: string } } }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1]);
const bodyOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4).replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ''));

test('a multipart avatar upload cut short (no closing boundary): 400 BAD_MULTIPART, and the process lives on', async () => {
  const { auth } = await t.login();
  const body = '--b\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG';
  const answer = await raw(
    `POST /api/users/me/avatar HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: multipart/form-data; boundary=b\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  expect(statusOf(answer)).toBe(400);
  expect(bodyOf(answer).error.code).toBe('BAD_MULTIPART');
  expect(t.uploads()).toEqual([]);
  expect((await t.http().get('/livez')).status).toBe(200);
  expect(errorLines()).toEqual([]);
});

test('an upload of exactly 2 MiB (2097152 bytes) is taken; one byte more is refused, in the unit enforced', async () => {
  const { auth } = await t.login();
  const png = (size: number) => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(size - 8, 1)]);
  const upload = (bytes: Buffer) =>
    t
      .http()
      .post('/api/users/me/avatar')
      .set('Authorization', auth)
      .attach('avatar', bytes, { filename: 'a.png', contentType: 'image/png' });
  expect((await upload(png(2_097_152))).status).toBe(200);
  const over = await upload(png(2_097_153));
  expect([over.status, over.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  expect(over.body.error.message).toBe('The file must be at most 2 MiB (2097152 bytes).');
});

test.each([
  ['gzip', zlib.gzipSync],
  ['deflate', zlib.deflateSync],
  ['br', zlib.brotliCompressSync],
])("a corrupt %s body is the client's 400, with no error logged; a sound one is read", async (encoding, compress) => {
  const { code } = t.fake.newLogin();
  const good = compress(Buffer.from(JSON.stringify({ code })));
  const headers = { 'content-type': 'application/json', 'content-encoding': encoding };
  const sound = await post('/api/auth/login', headers, good);
  expect(sound.status).toBe(200);
  const corrupt = Buffer.concat([good.subarray(0, 4), Buffer.from('not the rest of the stream at all, just junk bytes')]);
  const res = await post('/api/auth/login', headers, corrupt);
  expect(res.status).toBe(400);
  expect(res.body.error?.code).toBe('BAD_REQUEST');
  expect(errorLines()).toEqual([]);
});

test('a chunked push body over 64 KB: JSON 413, and the request is logged', async () => {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHash('sha1').update([t.push!.token, timestamp, 'n1'].sort().join('')).digest('hex');
  const q = new URLSearchParams({ signature, timestamp, nonce: 'n1', encrypt_type: 'aes' });
  const chunk = `{"pad":"${'x'.repeat(70_000)}"}`;
  const answer = await raw(
    `POST /api/wechat/push?${q} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
      `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
  );
  expect(statusOf(answer)).toBe(413);
  expect(bodyOf(answer).error.code).toBe('PAYLOAD_TOO_LARGE');
  const logged = t.log.lines
    .map((l) => JSON.parse(l))
    .find((l) => l.msg === 'request' && l.path === '/api/wechat/push' && l.status === 413);
  expect(logged).toBeDefined();
  expect(errorLines()).toEqual([]);
});

test('a nickname with a lone UTF-16 surrogate is refused before any content check, nothing stored', async () => {
  const { auth, body } = await t.login();
  const checks = t.fake.calls.msgSecCheck;
  const res = await t
    .http()
    .put('/api/users/me')
    .set('Authorization', auth)
    .set('content-type', 'application/json')
    .send('{"nickname":"Ming\\ud800"}');
  expect([res.status, res.body.error.code]).toEqual([400, 'BAD_REQUEST']);
  expect(t.fake.calls.msgSecCheck).toBe(checks);
  expect((await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } })).nickname).toBeNull();
});
