// The app itself needs nothing at launch: utils/api.js logs in silently on the first request
// (index page), and every page shares that one login.
App({});
