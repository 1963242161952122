const api = require('../../utils/api.js');

/**
 * Profile completion (头像昵称填写): avatar from <button open-type="chooseAvatar">, nickname from
 * <input type="nickname">, phone from <button open-type="getPhoneNumber">. WeChat's content checks
 * run on the backend: a rejected nickname is a 422 CONTENT_REJECTED; content under review comes back
 * stored but pending (the user sees it, others do not yet).
 */

// The user object marks content still under WeChat's review with these flags.
const pending = (user, field) => Boolean(user && user[field + 'Pending']);

const MESSAGES = {
  CONTENT_REJECTED: "WeChat's content check rejected this. Please choose something else.",
};
const describe = (err) => MESSAGES[err.code] || err.code + ': ' + err.message;

Page({
  data: { user: null, avatarPending: false, nicknamePending: false, saving: false, notice: '', error: '' },

  onLoad() {
    return api.request({ url: '/api/auth/me' }).then(
      (body) => this.showUser(body.user),
      (err) => this.showError(err),
    );
  },

  showUser(user) {
    this.setData({ user: user, avatarPending: pending(user, 'avatar'), nicknamePending: pending(user, 'nickname') });
  },

  showError(err) {
    this.setData({ saving: false, notice: '', error: describe(err) });
  },

  /** bindchooseavatar: a temporary file path, uploaded as the multipart field `avatar`. */
  onChooseAvatar(e) {
    const filePath = e.detail.avatarUrl;
    if (!filePath) return Promise.resolve();
    this.setData({ saving: true, notice: 'Uploading…', error: '' });
    return api.uploadFile({ url: '/api/users/me/avatar', filePath: filePath, name: 'avatar' }).then(
      (body) => {
        this.showUser(body.user);
        this.setData({ saving: false, notice: this.data.avatarPending ? 'Avatar uploaded; under review.' : 'Avatar saved.' });
      },
      (err) => this.showError(err),
    );
  },

  /** A form submit, not bindinput: choosing the WeChat nickname from the keyboard fires no input event. */
  onSaveNickname(e) {
    const nickname = String(e.detail.value.nickname || '').trim();
    if (!nickname) {
      this.setData({ notice: '', error: 'Enter a nickname first.' });
      return Promise.resolve();
    }
    this.setData({ saving: true, notice: '', error: '' });
    return api.request({ url: '/api/users/me', method: 'PUT', data: { nickname: nickname } }).then(
      (body) => {
        this.showUser(body.user);
        this.setData({ saving: false, notice: this.data.nicknamePending ? 'Nickname saved; under review.' : 'Nickname saved.' });
      },
      (err) => this.showError(err),
    );
  },

  /** bindgetphonenumber: a one-time code (base library ≥ 2.21.2) that the backend exchanges with WeChat. */
  onGetPhoneNumber(e) {
    if (!e.detail.code) {
      this.setData({ notice: '', error: 'The phone number was not shared.' });
      return Promise.resolve();
    }
    this.setData({ saving: true, notice: '', error: '' });
    return api.request({ url: '/api/auth/phone', method: 'POST', data: { code: e.detail.code } }).then(
      (body) => {
        this.showUser(body.user);
        this.setData({ saving: false, notice: 'Phone number saved.' });
      },
      (err) => this.showError(err),
    );
  },
});
