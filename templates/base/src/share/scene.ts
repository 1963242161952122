import { createHash, randomInt } from 'node:crypto';
import { badRequest } from '../platform/errors';

/**
 * A `scene` as getwxacodeunlimit takes it: at most 32 visible characters from WeChat's set (no `%`).
 * The Mini Program receives it URL-encoded in `options.scene`; the client decodes it before asking us.
 */
export const SCENE = /^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$/;

/** Letters and digits only: nothing in a minted scene changes under URL encoding. */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 10 characters of 62: about 59 random bits, so scenes cannot be guessed or enumerated. */
export const SCENE_LENGTH = 10;

export function mintScene(): string {
  let scene = '';
  for (let i = 0; i < SCENE_LENGTH; i++) scene += ALPHABET[randomInt(ALPHABET.length)];
  return scene;
}

/** A page of this Mini Program as WeChat takes it: `pages/x/y`, no leading `/`, no query. */
export const PAGE = /^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/;
const PARAM_KEY = /^[A-Za-z0-9_]{1,32}$/;
export const MAX_PARAMS = 10;
export const MAX_PARAM_LENGTH = 128;

export type ShareParams = Record<string, string>;

/** Checks a page path and its parameters; answers 400 with one clear line for anything else. */
export function checkTarget(page: unknown, params: unknown = {}): { page: string; params: ShareParams } {
  if (typeof page !== 'string' || page.length > 128 || !PAGE.test(page))
    throw badRequest('page must be a page path such as pages/item/item (no leading /, no query)', 'INVALID_PAGE');
  if (typeof params !== 'object' || params === null || Array.isArray(params))
    throw badRequest('params must be an object', 'INVALID_PARAMS');
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMS) throw badRequest(`params takes at most ${MAX_PARAMS} keys`, 'INVALID_PARAMS');
  for (const [key, value] of entries) {
    if (!PARAM_KEY.test(key))
      throw badRequest(`params key ${JSON.stringify(key.slice(0, 40))} must be 1–32 letters, digits or _`, 'INVALID_PARAMS');
    if (typeof value !== 'string' || value.length > MAX_PARAM_LENGTH)
      throw badRequest(`params.${key} must be text of at most ${MAX_PARAM_LENGTH} characters`, 'INVALID_PARAMS');
  }
  return { page, params: Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1))) as ShareParams };
}

/** One key per page + parameters (in key order), so the same target always finds the same row. */
export function targetKey(kind: string, page: string, params: ShareParams | string): string {
  const what = typeof params === 'string' ? params : JSON.stringify(params);
  return createHash('sha256').update(`${kind}\n${page}\n${what}`).digest('base64url');
}
