import { badResponse, fromErrcode, timeout, unreachable } from './errors';
import { readCapped } from './http';

/** A Mini Program code is tens of KB; WeChat's largest (1280 px) stays well under this. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Calls a WeChat API that answers with an image on success and JSON on failure (getwxacodeunlimit).
 * Returns the image bytes, or throws the mapped WechatError: a JSON error is never taken for an image.
 */
export async function wechatImage(url: string, init: RequestInit, timeoutMs: number): Promise<Buffer> {
  let response: Response;
  let bytes: Buffer;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    bytes = await readCapped(response, MAX_IMAGE_BYTES);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'WECHAT_BAD_RESPONSE') throw err;
    const name = (err as Error).name;
    throw name === 'TimeoutError' || name === 'AbortError' ? timeout() : unreachable();
  }
  if (!response.ok) throw badResponse();
  // WeChat's errors come as JSON (sometimes labelled text/plain): anything that starts like an object is one
  if (/json/.test(response.headers.get('content-type') ?? '') || bytes.subarray(0, 1).toString() === '{') {
    let json: { errcode?: unknown; errmsg?: unknown };
    try {
      json = JSON.parse(bytes.toString('utf8')) as typeof json;
    } catch {
      throw badResponse();
    }
    throw typeof json.errcode === 'number' && json.errcode !== 0 ? fromErrcode(json.errcode, json.errmsg) : badResponse();
  }
  return bytes;
}
