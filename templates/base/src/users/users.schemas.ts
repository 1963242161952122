import { z } from 'zod';
import { PhoneCode } from '../wechat/code';
import { UserId } from './user-id';

/** What the users routes take and answer (`.meta({ id })`: named in the OpenAPI document). */

/** What clients may see of a user: no openid, no unionid. */
export const PublicUser = z
  .object({
    id: UserId,
    nickname: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    phone: z.string().nullable(),
    createdAt: z.iso.datetime(),
    /** The nickname / avatar shown is still under WeChat's review: only this user sees it. */
    nicknamePending: z.boolean(),
    avatarPending: z.boolean(),
  })
  .meta({ id: 'PublicUser' });
export const UserAnswer = z.object({ user: PublicUser }).meta({ id: 'UserAnswer' });

/** What other users may see of a user: approved nickname and avatar only. */
export const OtherUser = z
  .object({ id: UserId, nickname: z.string().nullable(), avatarUrl: z.string().nullable() })
  .meta({ id: 'OtherUser' });
export const OtherUserAnswer = z.object({ user: OtherUser }).meta({ id: 'OtherUserAnswer' });

const NICKNAME_RULE = '"nickname" must be 1 to 32 characters, without control or invisible characters or lone UTF-16 surrogates.';
/** Control characters, zero-width and bidi controls: nothing a name shows, and a way to fake another name. */
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\p{Cs}]/u;
export const Nickname = z
  .string({ error: NICKNAME_RULE })
  .transform((s) => s.trim())
  .refine((s) => [...s].length >= 1 && [...s].length <= 32 && !INVISIBLE.test(s), NICKNAME_RULE)
  .meta({ id: 'Nickname' });

/** PUT /api/users/me: what `<input type="nickname">` gave. */
export const ProfileBody = z.object({ nickname: Nickname }).meta({ id: 'ProfileBody' });

export const PhoneBody = z
  .object({
    code: PhoneCode,
    /** Ask WeChat even if the user has a number verified within PHONE_REVERIFY_DAYS (each answer is billed). */
    refresh: z.boolean({ error: '"refresh" must be true or false' }).optional(),
  })
  .meta({ id: 'PhoneBody' });

export const PhoneAnswer = z
  .object({
    phoneNumber: z.string(),
    purePhoneNumber: z.string(),
    countryCode: z.string(),
    /** false: the number verified within PHONE_REVERIFY_DAYS, returned without asking WeChat. */
    fromWechat: z.boolean(),
    user: PublicUser,
  })
  .meta({ id: 'PhoneAnswer' });
