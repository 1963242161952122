import { z } from 'zod';
import { PublicUser } from '../users/users.schemas';
import { WxCode } from '../wechat/code';

/**
 * What the auth routes take and answer. A schema with `.meta({ id })` is named in the OpenAPI document
 * (`#/components/schemas/<id>`); the rest are described where they are used.
 */

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
  .refine(together('rawData', 'signature'), 'Send "rawData" and "signature" together.')
  .meta({ id: 'LoginBody' });
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginAnswer = z.object({ token: z.string(), expiresAt: z.iso.datetime(), user: PublicUser }).meta({ id: 'LoginAnswer' });

export const DecryptBody = z.object({ encryptedData: field('encryptedData', 65536), iv: field('iv', 64) }).meta({ id: 'DecryptBody' });
/** The decrypted payload as WeChat made it (its fields depend on the API: getWeRunData, getShareInfo, ...). */
export const DecryptAnswer = z.object({ data: z.record(z.string(), z.unknown()) }).meta({ id: 'DecryptAnswer' });

/** A session as its user sees it in GET /api/auth/sessions. */
export const SessionInfo = z
  .object({
    id: z.string().describe('opaque id of the session, for DELETE /api/auth/sessions/{id}'),
    device: z.string().nullable().describe("a short hint from the login's User-Agent"),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().describe('to SESSION_TOUCH_INTERVAL'),
    idleExpiresAt: z.iso.datetime().describe('when it ends unless used again'),
    expiresAt: z.iso.datetime().describe("when it ends at the latest (the token's exp)"),
    current: z.boolean().describe('the session of the token that asked'),
  })
  .meta({ id: 'SessionInfo' });
export const SessionsAnswer = z.object({ sessions: z.array(SessionInfo) }).meta({ id: 'SessionsAnswer' });
export const SessionIdParam = z.string().regex(/^[A-Za-z0-9_-]{16}$/);
export const LogoutAllBody = z
  .object({ keepCurrent: z.boolean({ error: '"keepCurrent" must be true or false' }).optional() })
  .meta({ id: 'LogoutAllBody' });
export const LogoutAllAnswer = z.object({ removed: z.number().int().describe('how many sessions ended') }).meta({ id: 'LogoutAllAnswer' });
