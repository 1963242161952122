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

export const PhoneBody = z.object({ code: WxCode });

export const DecryptBody = z.object({ encryptedData: field('encryptedData', 65536), iv: field('iv', 64) });

/** What clients may see of a user: no openid, no unionid. */
export const PublicUser = z.object({
  id: z.number().int(),
  nickname: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  phone: z.string().nullable(),
  createdAt: z.iso.datetime(),
});

export const LoginAnswer = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: PublicUser });
export const UserAnswer = z.object({ user: PublicUser });
export const PhoneAnswer = z.object({ phoneNumber: z.string(), purePhoneNumber: z.string(), countryCode: z.string(), user: PublicUser });
export const ErrorAnswer = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

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
