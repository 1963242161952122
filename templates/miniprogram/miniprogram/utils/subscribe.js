/**
 * Subscribe messages (订阅消息): asks the user for templates by key ('reviewResult'…) and tells the
 * backend what they allowed; each "allow" lets the backend send that message once.
 *
 *   const subscriptions = require('../../utils/subscribe.js');
 *   onLoad() { subscriptions.load(); }                 // the template ids, before any tap
 *   onTap() { subscriptions.subscribe(['reviewResult']).then(function (r) { r.accepted ... }); }
 *
 * WeChat opens its dialog only in answer to a tap, and only if nothing asynchronous ran between the tap
 * and wx.requestSubscribeMessage: so the ids are fetched ahead (load) and `subscribe` asks at once.
 */
const api = require('./api.js');

/** WeChat asks for at most 3 templates at a time. */
const MAX_PER_CALL = 3;

let templates = null; // key → template id (only the configured ones)
let loading = null;

/** Fetches the configured templates (GET /api/subscriptions); once per launch, retried after a failure. */
function load() {
  if (templates) return Promise.resolve(templates);
  if (!loading) {
    loading = api.request({ url: '/api/subscriptions' }).then(
      function (body) {
        templates = body.templates || {};
        loading = null;
        return templates;
      },
      function (err) {
        loading = null;
        throw err;
      }
    );
  }
  return loading;
}

/**
 * Asks the user for `keys` (call it from a tap handler, after `load()` finished) and posts the answer.
 * Resolves with the backend's `{ accepted: [...keys], credits: {key: n} }`; keys this deployment has
 * no template id for are left out (and nothing is asked if none is left).
 */
function subscribe(keys) {
  if (!templates) {
    return Promise.reject(new api.ApiError(0, 'TEMPLATES_NOT_LOADED', 'Call subscribe.load() when the page loads, before the tap.'));
  }
  const tmplIds = keys
    .map(function (key) {
      return templates[key];
    })
    .filter(Boolean);
  if (tmplIds.length === 0) return Promise.resolve({ accepted: [], credits: {} });
  if (tmplIds.length > MAX_PER_CALL) {
    return Promise.reject(new api.ApiError(0, 'TOO_MANY_TEMPLATES', 'WeChat asks for at most 3 templates at a time.'));
  }
  // no await before this call: WeChat must see the tap
  return api.callWx('requestSubscribeMessage', { tmplIds: tmplIds }).then(function (answer) {
    const picked = {};
    tmplIds.forEach(function (id) {
      if (typeof answer[id] === 'string') picked[id] = answer[id];
    });
    return api.request({ url: '/api/subscriptions', method: 'POST', data: { answer: picked } });
  });
}

module.exports = { load: load, subscribe: subscribe, MAX_PER_CALL: MAX_PER_CALL };
