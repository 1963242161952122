const api = require('../../utils/api.js');

// The start page: logs in silently (api.request does it on first use) and shows who the backend says we are.
Page({
  data: { loading: true, user: null, error: '', baseUrl: '' },

  onLoad() {
    this.setData({ baseUrl: api.baseUrl() });
    return this.load();
  },

  load() {
    this.setData({ loading: true, error: '' });
    return api.request({ url: '/api/auth/me' }).then(
      (body) => this.setData({ loading: false, user: body.user }),
      (err) => this.setData({ loading: false, user: null, error: err.code + ': ' + err.message }),
    );
  },

  onLogout() {
    return api.logout().then(() => this.setData({ user: null }));
  },

  onOpenProfile() {
    wx.navigateTo({ url: '/pages/profile/profile' });
  },
});
