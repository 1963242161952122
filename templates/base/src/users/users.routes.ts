import { z } from 'zod';
import type { User } from '../generated/prisma/client';
import { loginRequired } from '../auth/guard';
import type { JwtAuth } from '../auth/jwt-auth';
import type { AppContext } from '../auth/state';
import type { Avatars } from '../media/avatars';
import { readOneFile } from '../media/multipart';
import { route } from '../platform/route';
import { WECHAT_ERROR_CODES } from '../wechat/errors';
import type { PhoneNumbers } from './phone';
import type { Profiles } from './profiles';
import { otherUser, publicUser } from './users';
import { OtherUserAnswer, PhoneAnswer, PhoneBody, ProfileBody, UserAnswer } from './users.schemas';

/** What the users routes need of the app. */
export interface UsersServices {
  auth: JwtAuth;
  profiles: Profiles;
  avatars: Avatars;
  phone: PhoneNumbers;
}

/** wx.uploadFile's limit is the client's; ours: 2 MiB (2097152 bytes), as WeChat's own image check accepts. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** The request's user from now on (the cached session still holds the old one), as its owner sees it. */
function changed(ctx: AppContext, auth: JwtAuth, user: User) {
  auth.forget(ctx.state.jwtSession.id);
  ctx.state.jwtUser = user;
  return { user: publicUser(user) };
}

/** The profile (头像昵称填写), the phone number, and what others see of a user. */
export const usersRoutes = [
  route({
    method: 'PUT',
    path: '/api/users/me',
    guard: loginRequired,
    summary: 'Set my nickname (from <input type="nickname">)',
    description: "Checked by WeChat's msg_sec_check v2: `review` keeps it pending (others see the previous one), `risky` refuses it.",
    tag: 'users',
    body: { json: ProfileBody },
    answers: { 200: { description: 'The user (nicknamePending while WeChat reviews it).', json: UserAnswer } },
    errors: {
      409: ['WECHAT_USER_INACTIVE'],
      422: ['CONTENT_REJECTED'],
      429: ['CONTENT_CHECK_LIMIT'],
      503: ['CONTENT_CHECK_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
    },
    handler: async (ctx: AppContext, { body }, s: UsersServices) =>
      changed(ctx, s.auth, await s.profiles.setNickname(ctx.state.jwtUser!, body.nickname)),
  }),
  route({
    method: 'POST',
    path: '/api/users/me/avatar',
    guard: loginRequired,
    summary: 'Upload my avatar (from <button open-type="chooseAvatar">, sent with wx.uploadFile)',
    description:
      "PNG, JPEG or WebP by content, at most 2 MiB (2097152 bytes). Pending until WeChat's media check answers through message push.",
    tag: 'users',
    body: { multipart: z.object({ avatar: z.file() }) },
    answers: { 200: { description: 'The user (avatarPending until WeChat answers).', json: UserAnswer } },
    errors: {
      400: ['BAD_MULTIPART'],
      409: ['WECHAT_USER_INACTIVE'],
      415: ['UNSUPPORTED_IMAGE'],
      429: ['CONTENT_CHECK_LIMIT'],
      503: ['CONTENT_CHECK_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
    },
    handler: async (ctx: AppContext, _input, s: UsersServices) => {
      const bytes = await readOneFile(ctx.req, 'avatar', AVATAR_MAX_BYTES);
      return changed(ctx, s.auth, await s.avatars.upload(ctx.state.jwtUser!, bytes));
    },
  }),
  route({
    method: 'GET',
    path: '/api/users/:id',
    guard: loginRequired,
    summary: 'Another user, as others see them',
    description: 'Approved nickname and avatar only: never pending content, never the phone number.',
    tag: 'users',
    params: z.object({ id: z.string().describe('the `id` of a user (a UUID)') }),
    answers: { 200: { description: 'The user.', json: OtherUserAnswer } },
    errors: { 404: ['USER_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] },
    handler: async (_ctx: AppContext, { params }, s: UsersServices) => ({ user: otherUser(await s.profiles.find(params.id)) }),
  }),
  route({
    method: 'POST',
    path: '/api/auth/phone',
    guard: loginRequired,
    summary: 'Store the phone number of a getPhoneNumber button',
    description: 'A number verified within PHONE_REVERIFY_DAYS is returned without asking WeChat (billed per answer) unless `refresh`.',
    tag: 'auth',
    body: { json: PhoneBody },
    answers: { 200: { description: 'The phone number, now stored on the user.', json: PhoneAnswer } },
    errors: {
      400: ['INVALID_CODE'],
      ...WECHAT_ERROR_CODES,
      429: ['WECHAT_RATE_LIMITED', 'PHONE_DAILY_LIMIT'],
      503: ['DATABASE_UNAVAILABLE', 'PHONE_QUOTA_EXHAUSTED', ...WECHAT_ERROR_CODES[503]],
    },
    handler: async (ctx: AppContext, { body }, s: UsersServices) => {
      const { user, ...info } = await s.phone.verify(ctx.state.jwtUser!, body.code, body.refresh);
      return { ...info, ...changed(ctx, s.auth, user) };
    },
  }),
];
