import { badResponse, fromErrcode } from './errors';
import { send, type WechatInit } from './http';

/** A Mini Program code is tens of KB; WeChat's largest (1280 px) stays well under this. */
export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/**
 * Calls a WeChat API that answers with an image on success and JSON on failure (getwxacodeunlimit).
 * Returns the image bytes, or throws the mapped WechatError: a JSON error is never taken for an image.
 */
export async function wechatImage(url: string, init: WechatInit, timeoutMs: number): Promise<Buffer> {
  const { ok, contentType, body: bytes } = await send(url, init, timeoutMs, MAX_IMAGE_BYTES);
  if (!ok) throw badResponse();
  // WeChat's errors come as JSON (sometimes labelled text/plain): anything that starts like an object is one
  if (/json/.test(contentType) || bytes.subarray(0, 1).toString() === '{') {
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
