import { fork } from 'node:child_process';
import path from 'node:path';
import type { Command } from './serve-test-app';
import type { WechatServer } from './wx-sim';

type Op = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

/**
 * Starts serve-test-app.ts in a child process (with tsx, as `npm run dev:mock` runs) and returns its URL,
 * the fake WeChat's controls over IPC (a WechatServer for WxSim), and stop().
 */
export async function startBackendProcess() {
  const child = fork(path.join(__dirname, 'serve-test-app.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (result: unknown) => void>();
  let next = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve-test-app exited ${code}`)));
    child.on('message', (m: { ready?: string; id?: number; result?: unknown }) => {
      if (m.ready) return resolve(m.ready);
      waiting.get(m.id!)?.(m.result);
      waiting.delete(m.id!);
    });
  });
  const call = <T>(op: Op) =>
    new Promise<T>((resolve) => {
      const id = next++;
      waiting.set(id, resolve as (r: unknown) => void);
      child.send({ ...op, id });
    });
  const wechat: WechatServer & {
    newPhoneCode(phone: string, openid: string): Promise<string>;
    textVerdict(content: string, suggest: 'pass' | 'review' | 'risky'): Promise<void>;
  } = {
    newLogin: (user = {}) => call({ op: 'newLogin', openid: user.openid ?? '' }),
    failCode: (code, failure) => call({ op: 'failCode', code, errcode: failure.errcode }),
    newPhoneCode: (phone, openid) => call({ op: 'newPhoneCode', phone, openid }),
    textVerdict: (content, suggest) => call({ op: 'textVerdict', content, suggest }),
  };
  return {
    url,
    wechat,
    async stop() {
      child.removeAllListeners('exit');
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await call({ op: 'stop' });
      await exited;
    },
  };
}
