/**
 * The backend's client: login, the token, retries and errors in one place. CommonJS, no dependencies,
 * only the global `wx`; ES2015 syntax plus Promise (no async/await, no `?.`, no trailing commas in
 * calls: eslint.config.mjs parses miniprogram/ as ES2015), so it runs on every base library without
 * DevTools' enhanced compilation.
 *
 *   const api = require('../../utils/api.js');
 *   api.request({ url: '/api/auth/me' }).then(function (body) { ... }, function (err) { err.code ... });
 *
 * - A request with no valid token logs in first (wx.login → POST /api/auth/login), silently.
 * - Concurrent callers share one login: one wx.login, one POST.
 * - A 401 for a request that carried a token: that token is dropped, we log in once and retry once.
 *   A second 401 rejects. A 5xx, a timeout or a network failure rejects and never logs in.
 * - Every failure is an ApiError {statusCode, code, message}; statusCode 0 when nothing was answered.
 *   utils/messages.js turns it into the sentence a user sees.
 * - `onTask(task)` receives each RequestTask / UploadTask (a retry makes a new one), so a page can
 *   task.abort() when it unloads; `onProgress(res)` receives an upload's progress.
 * - Methods: only those wx.request supports (OPTIONS, GET, HEAD, POST, PUT, DELETE, TRACE, CONNECT).
 */
const config = require('../config.js');
// 微信云托管 projects only (config.cloud): callContainer instead of wx.request for this backend's URLs.
const cloud = config.cloud ? require('./cloud-container.js') : null;
const viaCloud = function (url) {
  return cloud !== null && !/^https?:\/\//i.test(url);
};

const STORAGE_KEY = 'api.session'; // {token, expiresAt}
const EXPIRY_MARGIN_MS = 60 * 1000; // a phone's clock may be late: stop using a token a minute early

/**
 * What went wrong: the backend's {error:{code,message}}, or one of the client's own codes: TIMEOUT,
 * NETWORK_ERROR, ABORTED, WX_LOGIN_FAILED, LOGIN_FAILED (an answer without a token), BAD_METHOD.
 */
function ApiError(statusCode, code, message) {
  this.name = 'ApiError';
  this.statusCode = statusCode;
  this.code = code;
  this.message = message;
  this.stack = new Error(message).stack;
}
// A plain prototype, not `class extends Error`: transpiled to ES5, such a subclass loses instanceof.
ApiError.prototype = Object.create(Error.prototype);
ApiError.prototype.constructor = ApiError;

const noop = function () {};

/** The base URL of this build: develop, trial or release (see config.js). */
function baseUrl() {
  let env = 'release';
  try {
    env = wx.getAccountInfoSync().miniProgram.envVersion || env;
  } catch (e) {
    // base library < 2.2.2: assume release
  }
  return (config.baseUrl[env] || config.baseUrl.release).replace(/\/+$/, '');
}

function resolveUrl(url) {
  if (/^https?:\/\//i.test(url)) return url;
  return baseUrl() + (url.charAt(0) === '/' ? url : '/' + url);
}

/** 'https://host[:port]' of an absolute URL, lower-cased (null for anything else). */
function originOf(url) {
  const m = /^(https?:\/\/[^/?#]+)/i.exec(url);
  return m ? m[1].toLowerCase() : null;
}

/** Whether `url` may receive the token: the backend of this build, or an origin in config.tokenOrigins. */
function trusted(url) {
  const origin = originOf(resolveUrl(url));
  if (!origin) return false; // e.g. 'https:///evil.com': WeChat may still reach a host, never with the token
  if (origin === originOf(baseUrl())) return true;
  return (config.tokenOrigins || []).some(function (o) {
    return originOf(o) === origin;
  });
}

/* ---- the token ---- */

/** The stored token, unless it is missing or past its expiresAt (then it is forgotten). */
function currentToken() {
  const saved = wx.getStorageSync(STORAGE_KEY);
  if (!saved || typeof saved.token !== 'string') return null;
  if (!(Date.parse(saved.expiresAt) - EXPIRY_MARGIN_MS > Date.now())) {
    wx.removeStorageSync(STORAGE_KEY);
    return null;
  }
  return saved.token;
}

/** Forgets `token`, but not a newer one that another request's re-login has stored meanwhile. */
function dropToken(token) {
  const saved = wx.getStorageSync(STORAGE_KEY);
  if (saved && saved.token === token) wx.removeStorageSync(STORAGE_KEY);
}

/* ---- wx callbacks → Promises of {statusCode, data} ---- */

function networkError(err) {
  const errMsg = (err && err.errMsg) || 'request:fail';
  if (/abort/i.test(errMsg)) return new ApiError(0, 'ABORTED', errMsg);
  return new ApiError(0, /timeout|超时/i.test(errMsg) ? 'TIMEOUT' : 'NETWORK_ERROR', errMsg);
}

/** wx.request's methods (its docs and typings): no PATCH, which some clients report as "method invalid". */
const METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'TRACE', 'CONNECT'];

/** Hands a RequestTask / UploadTask to the caller (onTask), with upload progress (onProgress). */
function handOver(task, options) {
  if (!task) return; // an old base library, or a test double, may return nothing
  if (options.onProgress && task.onProgressUpdate) task.onProgressUpdate(options.onProgress);
  if (options.onTask) options.onTask(task);
}

function withToken(header, token) {
  const all = Object.assign({}, header);
  if (token) all.Authorization = 'JWT ' + token;
  return all;
}

/** wx.request; resolves with whatever status the server answered (wx calls `success` on 4xx/5xx too). */
function send(options, token) {
  const method = (options.method || 'GET').toUpperCase();
  if (METHODS.indexOf(method) < 0) {
    return Promise.reject(new ApiError(0, 'BAD_METHOD', 'wx.request does not support ' + method + '; use one of ' + METHODS.join(', ')));
  }
  if (viaCloud(options.url)) {
    const path = options.url.charAt(0) === '/' ? options.url : '/' + options.url;
    return cloud
      .callContainer(config.cloud, { path: path, method: method, data: options.data, header: withToken(options.header, token) })
      .catch(function (err) {
        throw networkError(err);
      });
  }
  return new Promise(function (resolve, reject) {
    const task = wx.request({
      url: resolveUrl(options.url),
      method: method,
      data: options.data,
      header: withToken(options.header, token),
      timeout: options.timeout || config.timeout,
      success: function (res) {
        resolve({ statusCode: res.statusCode, data: res.data });
      },
      fail: function (err) {
        reject(networkError(err));
      }
    });
    handOver(task, options);
  });
}

function parseJson(text) {
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text);
  } catch (e) {
    return text;
  }
}

/** wx.uploadFile (multipart); its `data` is the body as a string, so it is parsed here. */
function upload(options, token) {
  return new Promise(function (resolve, reject) {
    const task = wx.uploadFile({
      url: resolveUrl(options.url),
      filePath: options.filePath,
      name: options.name,
      formData: options.formData,
      header: withToken(options.header, token),
      timeout: options.timeout || config.timeout,
      success: function (res) {
        resolve({ statusCode: res.statusCode, data: parseJson(res.data) });
      },
      fail: function (err) {
        reject(networkError(err));
      }
    });
    handOver(task, options);
  });
}

/** 2xx → the body (null for an empty one); anything else → ApiError with the backend's code. */
function result(res) {
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data === '' || res.data === undefined ? null : res.data;
  const error = res.data && typeof res.data === 'object' ? res.data.error : null;
  if (error && typeof error.code === 'string') {
    throw new ApiError(res.statusCode, error.code, typeof error.message === 'string' ? error.message : error.code);
  }
  throw new ApiError(res.statusCode, 'HTTP_' + res.statusCode, 'The server answered ' + res.statusCode + '.');
}

/* ---- login ---- */

function wxLogin() {
  return new Promise(function (resolve, reject) {
    wx.login({
      timeout: config.timeout,
      success: function (res) {
        if (res.code) resolve(res.code);
        else reject(new ApiError(0, 'WX_LOGIN_FAILED', res.errMsg || 'wx.login gave no code'));
      },
      fail: function (err) {
        reject(new ApiError(0, 'WX_LOGIN_FAILED', (err && err.errMsg) || 'wx.login:fail'));
      }
    });
  });
}

let pendingLogin = null;

/**
 * wx.login → POST /api/auth/login → {token, expiresAt, user}, token stored. Concurrent callers share
 * one login. A still-valid token is sent along, so that the backend refreshes that session's
 * session_key in place instead of opening a second session.
 */
function login() {
  if (!pendingLogin) {
    const done = function () {
      pendingLogin = null;
    };
    pendingLogin = wxLogin()
      .then(function (code) {
        return send({ url: '/api/auth/login', method: 'POST', data: { code: code } }, currentToken());
      })
      .then(result)
      .then(function (body) {
        // a 2xx without a token (a proxy's page, a misrouted URL) is a failed login, never stored
        if (!body || typeof body.token !== 'string' || !body.token || typeof body.expiresAt !== 'string') {
          throw new ApiError(0, 'LOGIN_FAILED', 'The login answer has no token.');
        }
        wx.setStorageSync(STORAGE_KEY, { token: body.token, expiresAt: body.expiresAt });
        return body;
      });
    pendingLogin.then(done, done);
  }
  return pendingLogin;
}

function tokenOrLogin() {
  const token = currentToken();
  return token
    ? Promise.resolve(token)
    : login().then(function (body) {
        return body.token;
      });
}

/**
 * Runs `perform(token)` with a token; on a 401, drops it, logs in once and retries once. A URL that is
 * not trusted() runs without a token, like `auth: false`.
 */
function authorized(perform, options) {
  // through callContainer the gateway names the user: no token, no login
  if (options.auth === false || !trusted(options.url) || viaCloud(options.url)) return perform(null).then(result);
  return tokenOrLogin().then(function (token) {
    return perform(token).then(function (res) {
      if (res.statusCode !== 401) return result(res);
      dropToken(token);
      return tokenOrLogin().then(function (fresh) {
        return perform(fresh).then(function (again) {
          if (again.statusCode === 401) dropToken(fresh);
          return result(again);
        });
      });
    });
  });
}

/**
 * `request({url, method, data, header, timeout, auth, onTask})` → Promise of the parsed body of a 2xx answer.
 * `url` may be relative to the base URL; an absolute one elsewhere gets no token (see config.tokenOrigins).
 * `auth: false` sends no token and never logs in.
 */
function request(options) {
  return authorized(function (token) {
    return send(options, token);
  }, options);
}

/** `uploadFile({url, filePath, name, formData, header, timeout, onTask, onProgress})`: like request, for wx.uploadFile. */
function uploadFile(options) {
  return authorized(function (token) {
    return upload(options, token);
  }, options);
}

/** POST /api/auth/logout, and the token forgotten whatever the server answers. Never rejects. */
function logout() {
  const settled = pendingLogin ? pendingLogin.then(noop, noop) : Promise.resolve();
  return settled.then(function () {
    const saved = wx.getStorageSync(STORAGE_KEY);
    wx.removeStorageSync(STORAGE_KEY);
    if (!saved || typeof saved.token !== 'string') return undefined;
    return send({ url: '/api/auth/logout', method: 'POST' }, saved.token).then(noop, noop);
  });
}

/* ---- encrypted data (wx.getWeRunData, wx.getShareInfo, ...) ---- */

/** The backend's session_key is not the one WeChat used: log in again, fetch again, retry. */
function isStaleSessionKey(err) {
  return (
    err instanceof ApiError &&
    ((err.statusCode === 409 && err.code === 'SESSION_KEY_STALE') || (err.statusCode === 400 && err.code === 'DECRYPT_FAILED'))
  );
}

/**
 * `fetch()` → Promise of {encryptedData, iv}; `submit(fetched)` → Promise (e.g. api.request(...)).
 * Logs in first, then fetches: a wx.login may replace session_key, so data fetched before it could not
 * be decrypted. If the backend says its session_key is stale, calls wx.login again, logs in with the
 * current token (the backend refreshes that session's key), fetches again and retries once.
 */
function withEncryptedData(fetch, submit) {
  const attempt = function () {
    return Promise.resolve().then(fetch).then(submit);
  };
  return tokenOrLogin()
    .then(attempt)
    .catch(function (err) {
      if (!isStaleSessionKey(err)) throw err;
      return login().then(attempt);
    });
}

/** POST /api/wechat/decrypt with the data `fetch` gets, e.g. api.decrypt(() => api.callWx('getWeRunData')). */
function decrypt(fetch) {
  return withEncryptedData(fetch, function (fetched) {
    return request({ url: '/api/wechat/decrypt', method: 'POST', data: { encryptedData: fetched.encryptedData, iv: fetched.iv } });
  });
}

/** A callback-style wx API as a Promise: callWx('getWeRunData') → Promise of its success result. */
function callWx(name, options) {
  return new Promise(function (resolve, reject) {
    wx[name](
      Object.assign({}, options, {
        success: resolve,
        fail: function (err) {
          reject(new ApiError(0, 'WX_API_FAILED', (err && err.errMsg) || name + ':fail'));
        }
      })
    );
  });
}

module.exports = {
  METHODS: METHODS,
  ApiError: ApiError,
  baseUrl: baseUrl,
  request: request,
  uploadFile: uploadFile,
  login: login,
  logout: logout,
  withEncryptedData: withEncryptedData,
  decrypt: decrypt,
  isStaleSessionKey: isStaleSessionKey,
  callWx: callWx
};
