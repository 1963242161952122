const payment = require('../../utils/pay.js');

/** A sample checkout: one SKU from the backend's catalog (src/pay/catalog.ts), paid with wx.requestPayment. */
const STATES = {
  PAID: '支付成功',
  CREATED: '支付结果确认中，请稍后在订单中查看',
  CANCELLED: '已取消支付',
  CLOSED: '订单已关闭'
};

Page({
  data: { sku: 'sample', quantity: 1, paying: false, result: '', error: '' },

  onPay() {
    if (this.data.paying) return Promise.resolve();
    this.setData({ paying: true, result: '', error: '' });
    return payment.pay(this.data.sku, this.data.quantity).then(
      (r) => this.setData({ paying: false, result: (STATES[r.state] || r.state) + '（订单号 ' + r.outTradeNo + '）' }),
      (err) => this.setData({ paying: false, error: err.code + ': ' + err.message })
    );
  }
});
