import { z } from 'zod';

/** A WeChat code (letters, digits, "-" or "_", at most 128): checked before anything is sent to WeChat. */
const codeFrom = (where: string) => {
  const rule = `"code" must be the code string from ${where} (letters, digits, "-" or "_", at most 128).`;
  return z.string({ error: rule }).regex(/^[A-Za-z0-9_-]{1,128}$/, rule);
};
/** A `wx.login()` code. */
export const WxCode = codeFrom('wx.login()');
/** The code of a `<button open-type="getPhoneNumber">` (e.detail.code), not a wx.login() code. */
export const PhoneCode = codeFrom('the getPhoneNumber button (e.detail.code)');
