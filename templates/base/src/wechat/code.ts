import { z } from 'zod';

const CODE_RULE = '"code" must be the code string from wx.login() (letters, digits, "-" or "_", at most 128).';
/** A `wx.login()` / `getPhoneNumber` code: checked before anything is sent to WeChat. */
export const WxCode = z.string({ error: CODE_RULE }).regex(/^[A-Za-z0-9_-]{1,128}$/, CODE_RULE);
