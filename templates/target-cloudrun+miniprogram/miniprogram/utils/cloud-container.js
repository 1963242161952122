/**
 * 微信云托管: a request through wx.cloud.callContainer instead of wx.request (base library >= 2.23.0).
 * The gateway tells the backend who calls (X-WX-OPENID), so no token is sent. ES2015 and CommonJS,
 * like api.js.
 */
let initialized = false;

/** wx.cloud.init once, before the first call. */
function init(cloud) {
  if (initialized) return;
  wx.cloud.init({ env: cloud.env });
  initialized = true;
}

/** `cloud` is config.cloud ({env, service}); resolves {statusCode, data} like api.js's send(); rejects with wx's error. */
function call(cloud, options) {
  init(cloud);
  return new Promise(function (resolve, reject) {
    wx.cloud.callContainer({
      config: { env: cloud.env },
      path: options.path,
      method: options.method,
      header: Object.assign({}, options.header, { 'X-WX-SERVICE': cloud.service }),
      data: options.data,
      timeout: options.timeout,
      success: function (res) {
        resolve({ statusCode: res.statusCode, data: res.data });
      },
      fail: reject
    });
  });
}

module.exports = { call: call };
