import http from 'node:http';
import type { Prisma } from '../src/generated/prisma/client';
import { warmUp } from '../src/platform/warm-up';
import { wechatRequest } from '../src/wechat/http';
import { startTestApp, type TestApp } from './support/test-app';

/** server.ts runs warmUp before it listens: it must not change data, and a store that is down must show. */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

test('warm-up leaves no data: its writes are rolled back, the logged-in user unchanged and still logged in', async () => {
  const { body, auth } = await t.login();
  const before = await t.prisma.user.findUniqueOrThrow({ where: { id: body.user.id } });
  const users = await t.prisma.user.count();
  await warmUp({ prisma: t.prisma, store: t.store });
  expect(await t.prisma.user.findUnique({ where: { openid: '' } })).toBeNull();
  expect(await t.prisma.user.count({ where: { openid: { startsWith: 'warm-up-' } } })).toBe(0);
  expect(await t.prisma.user.count()).toBe(users);
  expect(await t.prisma.user.findUnique({ where: { id: body.user.id } })).toEqual(before);
  expect((await t.http().get('/api/auth/me').set('Authorization', auth)).status).toBe(200);
});

test("the session store's own warm-up runs inside the rolled-back transaction, and its failure fails the warm-up", async () => {
  let seen: string | undefined;
  const failing = {
    get: (id: string) => t.store.get(id),
    warmUp: async (tx: Prisma.TransactionClient, userId: string) => {
      seen = (await tx.user.findUniqueOrThrow({ where: { id: userId } })).openid; // the transaction's own new user
      throw new Error('no such table');
    },
  };
  await expect(warmUp({ prisma: t.prisma, store: failing })).rejects.toThrow('no such table');
  expect(seen).toMatch(/^warm-up-[0-9a-f]{16}$/);
  expect(await t.prisma.user.count({ where: { openid: seen } })).toBe(0);
});

test('a session store that does not answer fails the warm-up (server.ts then logs a warning and starts)', async () => {
  const down = { ...t.store, get: () => Promise.reject(new Error('connection refused')) };
  await expect(warmUp({ prisma: t.prisma, store: down })).rejects.toThrow('connection refused');
});

test('warm-up calls loopback only (never WeChat), and leaves no server listening behind', async () => {
  const calls: string[] = [];
  const fetched = jest.spyOn(globalThis, 'fetch');
  const real = http.request;
  const spy = jest.spyOn(http, 'request').mockImplementation(((url: URL, ...rest: unknown[]) => {
    calls.push(String(url));
    return (real as (...args: unknown[]) => http.ClientRequest)(url, ...rest);
  }) as typeof http.request);
  // The servers warm-up opens, by instance: counting the process's listening handles also counts the
  // other servers of this test file, which close in their own time.
  const opened: http.Server[] = [];
  const realListen = http.Server.prototype.listen;
  const listen = jest.spyOn(http.Server.prototype, 'listen').mockImplementation(function (this: http.Server, ...args: unknown[]) {
    opened.push(this);
    return realListen.apply(this, args as Parameters<typeof realListen>);
  });
  try {
    await warmUp({ prisma: t.prisma, store: t.store, tokens: t.tokens, post: wechatRequest }); // as server.ts calls it
    expect(fetched).not.toHaveBeenCalled(); // (a restored spy forgets its calls)
  } finally {
    spy.mockRestore();
    fetched.mockRestore();
    listen.mockRestore();
  }
  expect(calls).toHaveLength(1);
  expect(calls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  expect(opened).toHaveLength(1);
  expect(opened[0].listening).toBe(false);
});
