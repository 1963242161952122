/**
 * WeChat Pay (小程序支付) through the backend: the price is the backend's, never ours.
 *
 *   const { pay } = require('../../utils/pay.js');
 *   pay('sample', 1).then(function (r) { r.state ... }, function (err) { err.code ... });
 *
 * pay(sku, quantity) places the order (POST /api/pay/orders), opens WeChat's payment sheet with the exact
 * object the backend signed, then polls GET /api/pay/orders/:no briefly: WeChat's notification to the
 * backend may come after the sheet's success callback. It resolves with
 *   { state: 'PAID' | 'CREATED' | 'CLOSED' | ..., outTradeNo, amount }   the backend's word on the order
 *   { state: 'CANCELLED', outTradeNo, amount }                            the user closed the sheet: not an error
 * and rejects with the api's ApiError (the order could not be placed or read) or a PAYMENT_FAILED ApiError
 * (the sheet failed, e.g. no balance; WeChat's errMsg is its message). 'CREATED' after the polls means
 * "not confirmed yet": ask again later, never charge twice.
 */
const api = require('./api.js');

/** Delays between polls, ms: about 8 s in all. */
const POLL_DELAYS_MS = [300, 700, 1000, 1500, 2000, 2500];

function requestPayment(payment) {
  return new Promise(function (resolve, reject) {
    wx.requestPayment({
      timeStamp: payment.timeStamp,
      nonceStr: payment.nonceStr,
      package: payment.package,
      signType: payment.signType,
      paySign: payment.paySign,
      success: function () {
        resolve('paid');
      },
      fail: function (err) {
        const errMsg = (err && err.errMsg) || 'requestPayment:fail';
        // the user closed the sheet: "requestPayment:fail cancel"
        if (/cancel/.test(errMsg)) resolve('cancelled');
        else reject(new api.ApiError(0, 'PAYMENT_FAILED', errMsg));
      }
    });
  });
}

function wait(ms) {
  return new Promise(function (resolve) {
    setTimeout(resolve, ms);
  });
}

/** Reads the order until it is no longer CREATED, or the delays run out. The URL is spelled as the API document names it. */
function settle(outTradeNo, attempt) {
  return api
    .request({ url: '/api/pay/orders/{outTradeNo}'.replace('{outTradeNo}', encodeURIComponent(outTradeNo)) })
    .then(function (order) {
      if (order.state !== 'CREATED' || attempt >= POLL_DELAYS_MS.length) return order;
      return wait(POLL_DELAYS_MS[attempt]).then(function () {
        return settle(outTradeNo, attempt + 1);
      });
    });
}

function pay(sku, quantity) {
  return api.request({ url: '/api/pay/orders', method: 'POST', data: { sku: sku, quantity: quantity || 1 } }).then(function (order) {
    return requestPayment(order.payment).then(function (result) {
      if (result === 'cancelled') return { state: 'CANCELLED', outTradeNo: order.outTradeNo, amount: order.amount };
      return settle(order.outTradeNo, 0);
    });
  });
}

module.exports = { pay: pay, POLL_DELAYS_MS: POLL_DELAYS_MS };
