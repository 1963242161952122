import { badResponse, fromErrcode, timeout, unreachable } from './errors';

export type WechatJson = Record<string, unknown>;

/** WeChat's JSON answers are a few hundred bytes; anything far larger is not WeChat, and is not read. */
export const MAX_ANSWER_BYTES = 64 * 1024;

/** The body's bytes, refusing to read past `max` bytes. */
export async function readCapped(response: Response, max: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > max) throw badResponse();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > max) throw badResponse();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Calls WeChat and returns its JSON, or throws a WechatError: timeout → 504, refused / reset /
 * non-JSON / oversized / HTTP error → 502, a non-zero errcode → its mapped error. The URL carries the
 * AppSecret, so it never appears in an error or a log.
 */
export async function wechatRequest(url: string, init: RequestInit, timeoutMs: number): Promise<WechatJson> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = (await readCapped(response, MAX_ANSWER_BYTES)).toString('utf8');
  } catch (err) {
    const name = (err as Error).name;
    if ((err as { code?: unknown }).code === 'WECHAT_BAD_RESPONSE') throw err;
    throw name === 'TimeoutError' || name === 'AbortError' ? timeout() : unreachable();
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badResponse();
  }
  if (!response.ok || typeof body !== 'object' || body === null || Array.isArray(body)) throw badResponse();
  const json = body as WechatJson;
  if (typeof json.errcode === 'number' && json.errcode !== 0) throw fromErrcode(json.errcode, json.errmsg);
  return json;
}
