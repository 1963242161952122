/**
 * 用户隐私保护指引 (the privacy guide). Since 2023-10-17 WeChat pauses chooseAvatar,
 * <input type="nickname"> and getPhoneNumber until the user agrees to the guide that the Mini
 * Program declares on mp.weixin.qq.com (设置 → 服务内容声明 → 用户隐私保护指引). With a listener on
 * wx.onNeedPrivacyAuthorization (base library 2.32.3+) the page shows its own panel instead of
 * WeChat's: the user reads why, opens the guide, and agrees with <button open-type="agreePrivacyAuthorization">
 * (WeChat checks that this very button was tapped), or declines.
 *
 * A page shows the panel from data.privacyShow / data.privacyName, and calls watch(this) in onShow,
 * agree(this) from bindagreeprivacyauthorization, decline(this) and openGuide() from taps.
 */
const AGREE_BUTTON_ID = 'agree-privacy'; // the id of the page's agree button: WeChat checks it was tapped
const DEFAULT_NAME = '用户隐私保护指引';

let resume = null; // the resolve of the privacy API WeChat has paused, until the user decides

/** The panel on `page`: shown with the guide's name, or hidden. */
function show(page, name) {
  const bare = (name || '').replace(/^《|》$/g, ''); // WeChat's name may come with its own 《》
  page.setData({ privacyShow: true, privacyName: bare || page.data.privacyName || DEFAULT_NAME });
}

/**
 * Called in onShow: the panel opens on this page when WeChat pauses a privacy API, and at once when the
 * user has not agreed yet (so the page says why before a tap is lost). Below 2.32.3 WeChat asks itself.
 */
function watch(page) {
  if (!wx.canIUse('onNeedPrivacyAuthorization')) return;
  wx.onNeedPrivacyAuthorization(function (resolve) {
    resume = resolve;
    resolve({ event: 'exposureAuthorization' }); // tells WeChat that our panel is on screen
    show(page);
  });
  wx.getPrivacySetting({
    success: function (res) {
      if (res.needAuthorization) show(page, res.privacyContractName);
    }
  });
}

/** bindagreeprivacyauthorization: the paused API (if any) goes on; the panel closes. */
function agree(page) {
  if (resume) resume({ buttonId: AGREE_BUTTON_ID, event: 'agree' });
  resume = null;
  page.setData({ privacyShow: false, error: '' });
}

/** The user declined: the paused API fails ("privacy permission is not authorized"); the page says so. */
function decline(page) {
  if (resume) resume({ event: 'disagree' });
  resume = null;
  page.setData({
    privacyShow: false,
    notice: '',
    error: '未同意《' + (page.data.privacyName || DEFAULT_NAME) + '》，无法使用头像、昵称和手机号'
  });
}

/** Opens the guide as declared on mp.weixin.qq.com. */
function openGuide() {
  if (wx.canIUse('openPrivacyContract')) wx.openPrivacyContract({});
}

module.exports = { AGREE_BUTTON_ID: AGREE_BUTTON_ID, watch: watch, agree: agree, decline: decline, openGuide: openGuide };
