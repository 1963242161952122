import http from 'node:http';
import https from 'node:https';
import { badResponse, fromErrcode, timeout, unreachable } from './errors';

export type WechatJson = Record<string, unknown>;

/** WeChat's JSON answers are a few hundred bytes; anything far larger is not WeChat, and is not read. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** How a call to WeChat is made: what wechatRequest sends. */
export interface WechatInit {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A POST that changes nothing when repeated (stable_token without force_refresh): retried as a GET is. */
  idempotent?: boolean;
}

/**
 * Kept-alive connections to WeChat, through node:http rather than fetch: undici's fetch and its web
 * streams cost ~0.15 ms more CPU per call, a sizeable share of a login. Idle sockets close after 4 s
 * (undici's default too), before a server's own keep-alive (5 s and up) can drop one under a request.
 */
const agents: Record<string, http.Agent> = {
  'http:': new http.Agent({ keepAlive: true, timeout: 4000 }),
  'https:': new https.Agent({ keepAlive: true, timeout: 4000 }),
};

/** What WeChat answered: its status, its content type and the body's bytes. */
export interface WechatAnswer {
  ok: boolean;
  contentType: string;
  body: Buffer;
}

/**
 * WeChat's answer (a body of at most `max` bytes), or a WechatError: timeout, unreachable, oversized.
 * A GET (or an idempotent POST) that meets a reset on a kept-alive socket before any answer goes once
 * more, on a connection of its own: most likely WeChat closed that idle socket as it was picked (the
 * case Node's documentation gives for `reusedSocket`), and its other idle sockets with it. A reset
 * after a request was read looks the same, so a POST that acts (a message sent, a forced token refresh)
 * is never sent twice; nor is a request that met a reset on a new connection, or a timeout.
 */
export function send(url: string, init: WechatInit, timeoutMs: number, max = MAX_ANSWER_BYTES): Promise<WechatAnswer> {
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest | undefined;
    let settled = false; // a request destroyed by fail() still emits its 'error': not one to retry
    const fail = (err: unknown) => {
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      reject(err);
    };
    const timer = setTimeout(() => fail(timeout()), timeoutMs);
    const onAnswer = (res: http.IncomingMessage) => {
      if (Number(res.headers['content-length'] ?? 0) > max) return fail(badResponse());
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > max) fail(badResponse());
        else chunks.push(chunk);
      });
      res.on('end', () => {
        settled = true;
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        resolve({ ok: status >= 200 && status <= 299, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
      });
      res.on('error', () => fail(unreachable())); // the connection dropped mid-answer
    };
    let target: URL;
    try {
      // inside the try: a URL that does not parse throws an error whose `input` is the URL, AppSecret included
      target = new URL(url);
    } catch {
      return fail(unreachable());
    }
    const lib = target.protocol === 'https:' ? https : http;
    const agent = agents[target.protocol];
    const repeatable = init.method === 'GET' || init.idempotent === true;
    let retried = false;
    const attempt = () => {
      let answered = false;
      try {
        // the retry: not another idle socket of the pool, which WeChat has likely closed as well
        req = lib.request(target, { method: init.method, headers: init.headers, agent: retried ? false : agent }, (res) => {
          answered = true;
          onAnswer(res);
        });
      } catch {
        return fail(unreachable()); // a URL node:http cannot call
      }
      const sent = req;
      sent.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return;
        if (repeatable && !answered && !retried && sent.reusedSocket && err.code === 'ECONNRESET') {
          retried = true;
          return attempt();
        }
        fail(unreachable());
      });
      sent.end(init.body);
    };
    attempt();
  });
}

/**
 * Calls WeChat and returns its JSON, or throws a WechatError: timeout → 504, refused / reset /
 * non-JSON / oversized / HTTP error → 502, a non-zero errcode → its mapped error. The URL carries the
 * AppSecret, so it never appears in an error or a log.
 */
export async function wechatRequest(url: string, init: WechatInit, timeoutMs: number): Promise<WechatJson> {
  const answer = await send(url, init, timeoutMs);
  let body: unknown;
  try {
    body = JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw badResponse();
  }
  if (!answer.ok || typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse();
  const json = body as WechatJson;
  if (typeof json.errcode === 'number' && json.errcode !== 0) throw fromErrcode(json.errcode, json.errmsg);
  return json;
}
