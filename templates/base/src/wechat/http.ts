import { badResponse, fromErrcode, timeout, unreachable } from './errors';

export type WechatJson = Record<string, unknown>;

/**
 * Calls WeChat and returns its JSON, or throws a WechatError: timeout → 504, refused / reset /
 * non-JSON / HTTP error → 502, a non-zero errcode → its mapped error. The URL carries the AppSecret,
 * so it never appears in an error or a log.
 */
export async function wechatRequest(url: string, init: RequestInit, timeoutMs: number): Promise<WechatJson> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (err) {
    const name = (err as Error).name;
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
