const api = require('../../utils/api.js');
const messages = require('../../utils/messages.js');

// The start page: logs in silently (api.request does it on first use) and shows who the backend says we
// are; refreshed on every show, so a nickname saved on the profile page appears on return.
Page({
  data: { loading: true, user: null, error: '', baseUrl: '' },

  onLoad() {
    this.tasks = [];
    this.setData({ baseUrl: api.baseUrl() });
  },

  onShow() {
    return this.load();
  },

  onUnload() {
    this.tasks.forEach((task) => task.abort());
  },

  load() {
    this.setData({ loading: true, error: '' });
    return api.request({ url: '/api/auth/me', onTask: (task) => this.tasks.push(task) }).then(
      (body) => this.setData({ loading: false, user: body.user }),
      (err) => {
        if (err.code !== 'ABORTED') this.setData({ loading: false, user: null, error: messages.messageOf(err) }); // ABORTED: the page has gone
      }
    );
  },

  onLogout() {
    return api.logout().then(() => {
      this.setData({ user: null, error: '' });
      wx.showToast({ title: '已退出登录', icon: 'none' });
    });
  },

  onOpenProfile() {
    wx.navigateTo({ url: '/pages/profile/profile' });
  }
});
