const api = require('../../utils/api.js');
const messages = require('../../utils/messages.js');
const privacy = require('../../utils/privacy.js');
const subscriptions = require('../../utils/subscribe.js');

/**
 * Profile completion (头像昵称填写): avatar from <button open-type="chooseAvatar">, nickname from
 * <input type="nickname">, phone from <button open-type="getPhoneNumber">. All three are privacy APIs:
 * the page shows the privacy panel (utils/privacy.js) until the user agrees. WeChat screens a nickname
 * on the phone first (bindnicknamereview) and the backend checks it again (msg_sec_check): a rejected one
 * is a 422 CONTENT_REJECTED; content under review comes back stored but pending (others do not see it yet).
 */

// The user object marks content still under WeChat's review with these flags.
const pending = (user, field) => Boolean(user && user[field + 'Pending']);

// How long a save waits for WeChat's own nickname review before going on (the backend checks anyway).
const REVIEW_WAIT_MS = 5000;

/** Why getPhoneNumber gave no code, from e.detail.errMsg. */
function phoneRefusal(errMsg) {
  if (/deny|cancel/i.test(errMsg)) return '你未授权手机号，可以稍后再试';
  if (/no permission/i.test(errMsg)) return '该小程序未完成微信认证，暂不能获取手机号';
  if (/privacy/i.test(errMsg)) return '请先同意隐私保护指引，再获取手机号';
  return '获取手机号失败，请稍后重试';
}

Page({
  data: {
    user: null,
    avatarPending: false,
    nicknamePending: false,
    nickname: '',
    progress: 0,
    saving: false,
    notice: '',
    error: '',
    privacyShow: false,
    privacyName: '',
    canNotifyReview: false
  },

  onLoad() {
    this.tasks = [];
    this.review = null; // WeChat's nickname review: null (none under way), or {passed, waiters}
    if (!wx.canIUse('button.open-type.chooseAvatar')) {
      // below base library 2.21.2 (project.config.json asks for 2.32.3): the buttons would do nothing
      this.setData({ error: '当前微信版本过低，请升级微信后再设置头像和昵称' });
    }
    // the subscribe message templates, ahead of the tap that asks for one (no template id: no button)
    subscriptions.load().then(
      (templates) => this.setData({ canNotifyReview: Boolean(templates.reviewResult) }),
      () => undefined
    );
    return api.request({ url: '/api/auth/me', onTask: (task) => this.tasks.push(task) }).then(
      (body) => this.showUser(body.user),
      (err) => this.showError(err)
    );
  },

  onShow() {
    privacy.watch(this);
  },

  onUnload() {
    this.tasks.forEach((task) => task.abort());
  },

  showUser(user) {
    this.setData({
      user: user,
      nickname: (user && user.nickname) || '',
      avatarPending: pending(user, 'avatar'),
      nicknamePending: pending(user, 'nickname')
    });
  },

  showError(err) {
    wx.hideLoading();
    if (err.code === 'ABORTED') return; // the page has gone (onUnload)
    this.setData({ saving: false, progress: 0, notice: '', error: messages.messageOf(err) });
  },

  done(notice) {
    wx.hideLoading();
    this.setData({ saving: false, progress: 0, error: '', notice: notice });
    wx.showToast({ title: '已保存', icon: 'success' });
  },

  /* ---- 用户隐私保护指引 ---- */

  onAgreePrivacy() {
    privacy.agree(this);
  },

  onDeclinePrivacy() {
    privacy.decline(this);
  },

  onOpenPrivacyGuide() {
    privacy.openGuide();
  },

  /* ---- avatar ---- */

  /** bindchooseavatar: a temporary file path, uploaded as the multipart field `avatar`, with its progress. */
  onChooseAvatar(e) {
    const filePath = e.detail.avatarUrl;
    if (!filePath) return Promise.resolve();
    wx.showLoading({ title: '上传中', mask: true });
    this.setData({ saving: true, progress: 0, notice: '', error: '' });
    return api
      .uploadFile({
        url: '/api/users/me/avatar',
        filePath: filePath,
        name: 'avatar',
        onTask: (task) => this.tasks.push(task),
        onProgress: (res) => this.setData({ progress: res.progress })
      })
      .then(
        (body) => {
          this.showUser(body.user);
          this.done(this.data.avatarPending ? '头像已上传，审核通过后他人可见' : '头像已保存');
        },
        (err) => this.showError(err)
      );
  },

  /* ---- the review result, as a subscribe message ---- */

  /** bindtap: WeChat's consent dialog for the reviewResult message; the backend sends it with the verdict. */
  onNotifyReview() {
    return subscriptions.subscribe(['reviewResult']).then(
      (result) => this.setData({ error: '', notice: result.accepted.length ? '审核结果出来后会通过微信通知你' : '' }),
      (err) => this.showError(err)
    );
  },

  /* ---- nickname ---- */

  /** Typing starts a new review; WeChat runs it when the input loses focus (base library 2.29.1+). */
  onNicknameInput(e) {
    if (wx.canIUse('input.type.nickname')) this.review = { passed: null, waiters: [] };
    this.setData({ nickname: e.detail.value });
  },

  /** bindnicknamereview {pass, timeout}: WeChat clears a nickname that fails, and we say so. */
  onNicknameReview(e) {
    const review = this.review || { passed: null, waiters: [] };
    review.passed = Boolean(e.detail.pass || e.detail.timeout); // a review that timed out is left to the backend
    this.review = review;
    if (!review.passed) this.setData({ nickname: '', notice: '', error: '微信检测到昵称不合规，已清空，请换一个' });
    review.waiters.splice(0).forEach((wake) => wake(review.passed));
  },

  /** Resolves true when the nickname may be saved: WeChat's review passed, or never ran, or took too long. */
  reviewed() {
    const review = this.review;
    if (!review || review.passed !== null) return Promise.resolve(!review || review.passed);
    return new Promise((resolve) => {
      review.waiters.push(resolve);
      setTimeout(() => resolve(true), REVIEW_WAIT_MS);
    });
  },

  /** A form submit, not bindinput alone: choosing the WeChat nickname from the keyboard fires no input event. */
  onSaveNickname(e) {
    const nickname = String(e.detail.value.nickname || '').trim();
    if (!nickname) {
      this.setData({ notice: '', error: '请先填写昵称' });
      return Promise.resolve();
    }
    wx.showLoading({ title: '保存中', mask: true });
    this.setData({ saving: true, notice: '', error: '' });
    return this.reviewed().then((passed) => {
      if (!passed) {
        wx.hideLoading();
        this.setData({ saving: false });
        return undefined;
      }
      return api
        .request({ url: '/api/users/me', method: 'PUT', data: { nickname: nickname }, onTask: (task) => this.tasks.push(task) })
        .then(
          (body) => {
            this.showUser(body.user);
            this.done(this.data.nicknamePending ? '昵称已保存，审核通过后他人可见' : '昵称已保存');
          },
          (err) => this.showError(err)
        );
    });
  },

  /* ---- phone ---- */

  /**
   * bindgetphonenumber: a one-time code (base library 2.21.2+) that the backend exchanges with WeChat (a
   * paid call). With a number on file the button says "change", so `refresh` makes the backend buy the
   * new number instead of answering the stored one.
   */
  onGetPhoneNumber(e) {
    if (!e.detail.code) {
      this.setData({ notice: '', error: phoneRefusal(e.detail.errMsg || '') });
      return Promise.resolve();
    }
    const changing = Boolean(this.data.user && this.data.user.phone);
    wx.showLoading({ title: '保存中', mask: true });
    this.setData({ saving: true, notice: '', error: '' });
    return api
      .request({
        url: '/api/auth/phone',
        method: 'POST',
        data: { code: e.detail.code, refresh: changing },
        onTask: (task) => this.tasks.push(task)
      })
      .then(
        (body) => {
          this.showUser(body.user);
          this.done(changing ? '手机号已更换' : '手机号已保存');
        },
        (err) => this.showError(err)
      );
  }
});
