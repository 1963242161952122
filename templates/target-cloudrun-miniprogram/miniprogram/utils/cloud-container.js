/**
 * 微信云托管: a request through wx.cloud.callContainer instead of wx.request (base library >= 2.23.0).
 * The gateway tells the backend who calls (X-WX-OPENID), so no login round trip and no token are
 * needed. Limits: 100 KB per request, 15 s. Files (the avatar) cannot go this way: see the README.
 * ES2015 and CommonJS, like api.js.
 */
let initialized = false;

/** wx.cloud.init once, before the first call. */
function init() {
  if (initialized) return;
  wx.cloud.init();
  initialized = true;
}

/** `cloud` is config.cloud ({env, service}); resolves {statusCode, data} like api.js's send(); rejects with wx's error. */
function callContainer(cloud, options) {
  init();
  return new Promise(function (resolve, reject) {
    wx.cloud.callContainer({
      config: { env: cloud.env },
      path: options.path,
      method: options.method,
      header: Object.assign({ 'X-WX-SERVICE': cloud.service }, options.header),
      data: options.data,
      success: function (res) {
        resolve({ statusCode: res.statusCode, data: res.data });
      },
      fail: reject
    });
  });
}

module.exports = { callContainer: callContainer };
