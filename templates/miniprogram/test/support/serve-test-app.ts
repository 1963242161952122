/**
 * The backend as its own process, for tests that run in jest's jsdom environment (miniprogram-simulate),
 * where the app's Node libraries do not load: the test app of test-app.ts (its database, session store
 * and fake WeChat, as `npm run dev:mock` wires them) on loopback, driven over IPC by backend-process.ts.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestApp } from './test-app';

export type Command =
  | { id: number; op: 'newLogin'; openid: string }
  | { id: number; op: 'newPhoneCode'; phone: string; openid: string }
  | { id: number; op: 'failCode'; code: string; errcode: number }
  | { id: number; op: 'textVerdict'; content: string; suggest: 'pass' | 'review' | 'risky' }
  | { id: number; op: 'stop' };

async function main(): Promise<void> {
  const t = await startTestApp();
  const server = http.createServer(t.app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const reply = (id: number, result: unknown) => process.send!({ id, result });
  process.on('message', async (c: Command) => {
    if (c.op === 'newLogin') return reply(c.id, t.fake.newLogin({ openid: c.openid }));
    if (c.op === 'newPhoneCode') return reply(c.id, t.fake.newPhoneCode(c.phone, c.openid));
    if (c.op === 'failCode') return reply(c.id, t.fake.failCode(c.code, { errcode: c.errcode }));
    if (c.op === 'textVerdict') return reply(c.id, t.fake.textVerdicts.set(c.content, c.suggest) && null);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await t.close(); // its sessions and counters leave no trace in a shared database or Redis
    process.send!({ id: c.id, result: null }, () => process.exit(0));
  });
  process.send!({ ready: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
