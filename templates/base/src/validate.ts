import { badRequest } from './errors';
import type { AppContext } from './auth/state';

/** The JSON body as an object (bodyparser has already refused bad JSON and oversized bodies). */
export function jsonBody(ctx: AppContext): Record<string, unknown> {
  const body = (ctx.request as { body?: unknown }).body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return body as Record<string, unknown>;
}

/** A `wx.login()` / `getPhoneNumber` code: checked before anything is sent to WeChat. */
export const WX_CODE = /^[A-Za-z0-9_-]{1,128}$/;

export function requiredCode(body: Record<string, unknown>): string {
  const code = body.code;
  if (typeof code !== 'string' || !WX_CODE.test(code)) {
    throw badRequest('"code" must be the code string from wx.login() (letters, digits, "-" or "_", at most 128).', 'INVALID_CODE');
  }
  return code;
}

/** An optional string field: undefined when absent, else a non-empty string of at most `max` characters. */
export function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw badRequest(`"${field}" must be a non-empty string of at most ${max} characters.`);
  }
  return value;
}

/** Two fields that only make sense together (encryptedData + iv, rawData + signature). */
export function pair(body: Record<string, unknown>, a: string, b: string, max: number): [string, string] | undefined {
  const x = optionalString(body, a, max);
  const y = optionalString(body, b, max);
  if ((x === undefined) !== (y === undefined)) throw badRequest(`Send "${a}" and "${b}" together.`);
  return x !== undefined && y !== undefined ? [x, y] : undefined;
}
