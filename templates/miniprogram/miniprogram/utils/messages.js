/**
 * ✏️  What a user reads when something fails: an ApiError's code (utils/api.js) → one Chinese
 * sentence. Never the raw errMsg or the backend's English message: a user cannot act on
 * "NETWORK_ERROR: request:fail ECONNREFUSED", and it may show internals.
 */
const MESSAGES = {
  // the phone's side: nothing was answered
  NETWORK_ERROR: '网络连接失败，请检查网络后重试',
  TIMEOUT: '网络超时，请稍后重试',
  ABORTED: '请求已取消',
  WX_LOGIN_FAILED: '微信登录失败，请稍后重试',
  LOGIN_FAILED: '登录失败，请稍后重试',
  BAD_METHOD: '小程序请求方式有误，请联系开发者',
  WX_API_FAILED: '微信接口调用失败，请稍后重试',
  // 微信云托管's callContainer: no files, 100 KB at most
  NOT_VIA_CLOUD: '当前版本暂不支持上传文件，请联系开发者',
  TOO_LARGE_FOR_CLOUD: '内容太长，请删减后重试',
  // the backend's codes
  UNAUTHORIZED: '登录已失效，请重新登录',
  INVALID_CODE: '微信登录凭证已失效，请重试',
  TOO_MANY_REQUESTS: '操作太频繁，请稍后再试',
  WECHAT_RATE_LIMITED: '操作太频繁，请稍后再试',
  WECHAT_USER_INACTIVE: '请在小程序中操作后再试',
  CONTENT_REJECTED: '内容未通过微信安全检测，请修改后重试',
  CONTENT_CHECK_UNAVAILABLE: '内容检测暂不可用，请稍后重试',
  UNSUPPORTED_IMAGE: '不支持该图片格式，请换一张',
  UNSUPPORTED_MEDIA_TYPE: '不支持该文件类型',
  PAYLOAD_TOO_LARGE: '文件太大，请换一张较小的图片',
  PHONE_DAILY_LIMIT: '今天更换手机号的次数已用完，请明天再试',
  PHONE_QUOTA_EXHAUSTED: '手机号验证暂不可用，请稍后再试',
  SESSION_KEY_STALE: '登录状态已变化，请重试',
  DECRYPT_FAILED: '登录状态已变化，请重试'
};

/** 5xx and codes not listed above: one generic sentence (the code stays in the log, not on screen). */
const SERVER_ERROR = '服务暂时不可用，请稍后重试';
const UNKNOWN_ERROR = '操作失败，请稍后重试';

/** The sentence to show for `err` (an ApiError, or anything else a promise rejected with). */
function messageOf(err) {
  if (err && MESSAGES[err.code]) return MESSAGES[err.code];
  if (err && err.statusCode >= 500) return SERVER_ERROR;
  return UNKNOWN_ERROR;
}

module.exports = { MESSAGES: MESSAGES, messageOf: messageOf };
