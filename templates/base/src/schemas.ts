import { z } from 'zod';

/**
 * The request bodies and answers of every route, declared once: routes validate with them, handlers get
 * their types from them, and the OpenAPI document is made from them.
 */

const CODE_RULE = '"code" must be the code string from wx.login() (letters, digits, "-" or "_", at most 128).';
/** A `wx.login()` / `getPhoneNumber` code: checked before anything is sent to WeChat. */
export const WxCode = z.string({ error: CODE_RULE }).regex(/^[A-Za-z0-9_-]{1,128}$/, CODE_RULE);

const field = (name: string, max: number) =>
  z
    .string({ error: `"${name}" must be a string` })
    .min(1, `"${name}" must not be empty`)
    .max(max, `"${name}" must be at most ${max} characters`);

/** Two fields that only make sense together (encryptedData + iv, rawData + signature). */
const together = (a: string, b: string) => (body: Record<string, unknown>) => (body[a] === undefined) === (body[b] === undefined);

export const LoginBody = z
  .object({
    code: WxCode,
    encryptedData: field('encryptedData', 65536).optional(),
    iv: field('iv', 64).optional(),
    rawData: field('rawData', 65536).optional(),
    signature: field('signature', 64).optional(),
  })
  .refine(together('encryptedData', 'iv'), 'Send "encryptedData" and "iv" together.')
  .refine(together('rawData', 'signature'), 'Send "rawData" and "signature" together.');
export type LoginBody = z.infer<typeof LoginBody>;

export const PhoneBody = z.object({
  code: WxCode,
  /** Ask WeChat even if the user has a number verified within PHONE_REVERIFY_DAYS (each answer is billed). */
  refresh: z.boolean({ error: '"refresh" must be true or false' }).optional(),
});

export const DecryptBody = z.object({ encryptedData: field('encryptedData', 65536), iv: field('iv', 64) });

/** What clients may see of a user: no openid, no unionid. */
export const PublicUser = z.object({
  id: z.number().int(),
  nickname: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** The nickname / avatar shown is still under WeChat's review: only this user sees it. */
  nicknamePending: z.boolean(),
  avatarPending: z.boolean(),
});

const NICKNAME_RULE = '"nickname" must be 1 to 32 characters, without control or invisible characters.';
/** Control characters, zero-width and bidi controls: nothing a name shows, and a way to fake another name. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0]/u;
export const Nickname = z
  .string({ error: NICKNAME_RULE })
  .transform((s) => s.trim())
  .refine((s) => [...s].length >= 1 && [...s].length <= 32 && !INVISIBLE.test(s), NICKNAME_RULE);

/** PUT /api/users/me: what `<input type="nickname">` gave. */
export const ProfileBody = z.object({ nickname: Nickname });

/** POST /api/users/me/avatar: multipart/form-data (what wx.uploadFile sends), one file field. */
export const AvatarUpload = z.object({
  avatar: z.string().describe('the image file (PNG, JPEG or WebP, at most 2 MB; its content decides the type)'),
});

/** What other users may see of a user: approved nickname and avatar only. */
export const OtherUser = z.object({ id: z.number().int(), nickname: z.string().nullable(), avatarUrl: z.string().nullable() });
export const OtherUserAnswer = z.object({ user: OtherUser });

/** The query WeChat's message push signs (GET verifies the URL; POST carries a message). */
export const PushQuery = z.object({
  signature: z.string().optional(),
  timestamp: z.string(),
  nonce: z.string(),
  echostr: z.string().optional(),
  encrypt_type: z.enum(['aes', 'raw']).optional(),
  msg_signature: z.string().optional(),
  openid: z.string().optional(),
});
/** A push in safe mode: only the ciphertext (JSON data format). */
export const PushEncrypted = z.object({ ToUserName: z.string().optional(), Encrypt: z.string() });
/** The event mediaCheckAsync's verdict arrives in. */
export const MediaCheckEvent = z.object({
  Event: z.literal('wxa_media_check'),
  appid: z.string().optional(),
  trace_id: z.string(),
  version: z.number().optional(),
  result: z.object({ suggest: z.enum(['pass', 'review', 'risky']), label: z.union([z.number(), z.string()]).optional() }).optional(),
  isrisky: z.number().optional(),
});

export const LoginAnswer = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: PublicUser });
export const UserAnswer = z.object({ user: PublicUser });
export const PhoneAnswer = z.object({
  phoneNumber: z.string(),
  purePhoneNumber: z.string(),
  countryCode: z.string(),
  /** false: the number verified within PHONE_REVERIFY_DAYS, returned without asking WeChat. */
  fromWechat: z.boolean(),
  user: PublicUser,
});
export const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** GET /livez, /readyz: the app answers and (readyz) what it depends on too. */
export const HealthAnswer = z.object({ status: z.literal('ok') });
/** The decrypted payload as WeChat made it (its fields depend on the API: getWeRunData, getShareInfo, ...). */
export const DecryptAnswer = z.object({ data: z.record(z.string(), z.unknown()) });
/** A session as its user sees it in GET /api/auth/sessions. */
export const SessionInfo = z.object({
  id: z.string().describe('opaque id of the session, for DELETE /api/auth/sessions/{id}'),
  device: z.string().nullable().describe("a short hint from the login's User-Agent"),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().describe('to SESSION_TOUCH_INTERVAL'),
  idleExpiresAt: z.iso.datetime().describe('when it ends unless used again'),
  expiresAt: z.iso.datetime().describe("when it ends at the latest (the token's exp)"),
  current: z.boolean().describe('the session of the token that asked'),
});
export const SessionsAnswer = z.object({ sessions: z.array(SessionInfo) });
export const SessionIdParam = z.string().regex(/^[A-Za-z0-9_-]{16}$/);
export const LogoutAllBody = z.object({
  keepCurrent: z.boolean({ error: '"keepCurrent" must be true or false' }).optional(),
});
export const LogoutAllAnswer = z.object({ removed: z.number().int().describe('how many sessions ended') });
