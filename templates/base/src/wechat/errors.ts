import { HttpError } from '../errors';

/** errcodes that mean "this access token is no longer valid": drop it, refresh once, retry once. */
export const TOKEN_INVALID = new Set([40001, 40014, 42001]);

/** An error WeChat answered (or failed to answer) with, already mapped to what our client should see. */
export class WechatError extends HttpError {
  constructor(
    status: number,
    code: string,
    message: string,
    readonly errcode?: number,
  ) {
    super(status, code, message);
    this.name = 'WechatError';
  }
}

/** WeChat's errcode → our answer. Unknown codes are WeChat's problem, not the client's: 502. */
export function fromErrcode(errcode: number, errmsg?: unknown): WechatError {
  switch (errcode) {
    case 40029:
    case 40163:
    case 40226:
      return new WechatError(400, 'INVALID_CODE', `WeChat refused the code (${errcode}); call wx.login() again for a new one.`, errcode);
    case 45011:
      return new WechatError(429, 'WECHAT_RATE_LIMITED', 'WeChat says this user calls too often; retry in a minute.', errcode);
    case -1:
      return new WechatError(502, 'WECHAT_BUSY', 'WeChat is busy; retry shortly.', errcode);
    case 40013:
    case 40125:
    case 41002:
    case 41004:
      return new WechatError(502, 'WECHAT_CONFIG', 'WeChat rejected this server\'s AppID or AppSecret.', errcode);
    default: {
      const detail = typeof errmsg === 'string' ? `: ${errmsg.slice(0, 100)}` : '';
      return new WechatError(502, 'WECHAT_ERROR', `WeChat answered errcode ${errcode}${detail}.`, errcode);
    }
  }
}

export const timeout = () => new WechatError(504, 'WECHAT_TIMEOUT', 'WeChat did not answer in time; retry shortly.');
export const unreachable = () => new WechatError(502, 'WECHAT_UNAVAILABLE', 'WeChat could not be reached; retry shortly.');
export const badResponse = () => new WechatError(502, 'WECHAT_BAD_RESPONSE', 'WeChat answered with something that is not its JSON API.');
