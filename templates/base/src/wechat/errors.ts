import type { HttpError } from 'http-errors';
import { httpError } from '../platform/errors';

/** errcodes that mean "this access token is no longer valid": drop it, refresh once, retry once. */
export const TOKEN_INVALID = new Set([40001, 40014, 42001]);

/** A WeChat failure mapped to what our client should see; `errcode` and `errmsg` are kept for the log only. */
export type WechatError = HttpError & { errcode?: number; errmsg?: string };

export const wechatError = (status: number, code: string, message: string, errcode?: number, errmsg?: unknown): WechatError =>
  httpError(status, code, message, { errcode, errmsg: typeof errmsg === 'string' ? errmsg.slice(0, 200) : undefined });

/** The errcode of a WeChat failure, if `err` is one. */
export function errcodeOf(err: unknown): number | undefined {
  const errcode = (err as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === 'number' ? errcode : undefined;
}

/** WeChat's errcode → our answer. Unknown codes are WeChat's problem, not the client's: 502. WeChat's errmsg is never shown. */
export function fromErrcode(errcode: number, errmsg?: unknown): WechatError {
  const e = (status: number, code: string, message: string) => wechatError(status, code, message, errcode, errmsg);
  switch (errcode) {
    case 40029:
    case 40163:
    case 40226:
      return e(400, 'INVALID_CODE', `WeChat refused the code (${errcode}); call wx.login() again for a new one.`);
    case 45011:
      return e(429, 'WECHAT_RATE_LIMITED', 'WeChat says this user calls too often; retry in a minute.');
    case -1:
      return e(502, 'WECHAT_BUSY', 'WeChat is busy; retry shortly.');
    case 61010: // msgSecCheck / mediaCheckAsync: 用户访问记录超时, the openid has not opened the Mini Program within 2 hours
      return e(
        409,
        'WECHAT_USER_INACTIVE',
        'WeChat checks content only for users who opened the Mini Program in the last 2 hours; reopen it and retry.',
      );
    case 1400001: // 小程序 quota 余额不足: the phone number quota (billed per answer) is used up
      return e(
        503,
        'PHONE_QUOTA_EXHAUSTED',
        "This Mini Program's phone number quota is used up; the owner must top it up on mp.weixin.qq.com.",
      );
    case 40013:
    case 40125:
    case 41002:
    case 41004:
      return e(502, 'WECHAT_CONFIG', "WeChat rejected this server's AppID or AppSecret.");
    default:
      return e(502, 'WECHAT_ERROR', `WeChat answered errcode ${errcode}.`);
  }
}

export const timeout = () => wechatError(504, 'WECHAT_TIMEOUT', 'WeChat did not answer in time; retry shortly.');
export const unreachable = () => wechatError(502, 'WECHAT_UNAVAILABLE', 'WeChat could not be reached; retry shortly.');
/**
 * The shared access token did not come in time: another instance holds the refresh lock (its fetch hangs,
 * or it died holding it; the lock expires on its own). Nothing is wrong with this request: retry.
 */
export const tokenUnavailable = () =>
  wechatError(
    503,
    'WECHAT_TOKEN_UNAVAILABLE',
    "WeChat's access token is being fetched by another instance and did not come in time; retry shortly.",
  );
export const badResponse = () => wechatError(502, 'WECHAT_BAD_RESPONSE', 'WeChat answered with something that is not its JSON API.');

/** What a call to WeChat may end in, by status: for the OpenAPI document of the routes that call it. */
export const WECHAT_ERROR_CODES = {
  429: ['WECHAT_RATE_LIMITED'],
  502: ['WECHAT_BUSY', 'WECHAT_CONFIG', 'WECHAT_ERROR', 'WECHAT_UNAVAILABLE', 'WECHAT_BAD_RESPONSE'],
  503: ['WECHAT_TOKEN_UNAVAILABLE'],
  504: ['WECHAT_TIMEOUT'],
};
