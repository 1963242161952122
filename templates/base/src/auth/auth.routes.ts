import { z } from 'zod';
import { httpError } from '../platform/errors';
import { route } from '../platform/route';
import { publicUser } from '../users/users';
import { UserAnswer } from '../users/users.schemas';
import { WECHAT_ERROR_CODES } from '../wechat/errors';
import { LoginAnswer, LoginBody, LogoutAllAnswer, LogoutAllBody, SessionIdParam, SessionsAnswer } from './auth.schemas';
import { loginRequired } from './guard';
import type { JwtAuth } from './jwt-auth';
import type { Logins } from './logins';
import type { AppContext } from './state';

/** What the auth routes need of the app. */
export interface AuthServices {
  auth: JwtAuth;
  logins: Logins;
}

/** Login, who am I, logout, and the user's sessions (devices). */
export const authRoutes = [
  route({
    method: 'POST',
    path: '/api/auth/login',
    summary: 'Log in with a wx.login() code',
    description:
      'Exchanges the code with WeChat (jscode2session) for a session on this server. Optionally `encryptedData` + `iv` ' +
      '(user info, decrypted with the session_key) and `rawData` + `signature`; each pair is sent together or not at all.',
    tag: 'auth',
    body: { json: LoginBody },
    answers: { 200: { description: 'A token for `Authorization: JWT <token>`.', json: LoginAnswer } },
    errors: {
      400: ['INVALID_CODE', 'BAD_SIGNATURE', 'DECRYPT_FAILED', 'WATERMARK_MISMATCH'],
      ...WECHAT_ERROR_CODES,
      429: ['TOO_MANY_REQUESTS', 'WECHAT_RATE_LIMITED'],
      503: ['DATABASE_UNAVAILABLE', 'SESSION_STORE_UNAVAILABLE', 'RATE_LIMIT_UNAVAILABLE'],
    },
    handler: (ctx: AppContext, { body }, s: AuthServices) => s.logins.login(ctx, body),
  }),
  route({
    method: 'GET',
    path: '/api/auth/me',
    guard: loginRequired,
    summary: 'The logged-in user',
    tag: 'auth',
    answers: { 200: { description: 'The user.', json: UserAnswer } },
    handler: async (ctx: AppContext) => ({ user: publicUser(ctx.state.jwtUser!) }),
  }),
  route({
    method: 'POST',
    path: '/api/auth/logout',
    guard: loginRequired,
    summary: 'Log out',
    description: 'Deletes the session: its token stops working at once.',
    tag: 'auth',
    answers: { 204: { description: 'Logged out.', empty: true } },
    handler: async (ctx: AppContext, _input, s: AuthServices) => {
      await s.auth.jwtLogout(ctx);
      ctx.status = 204;
    },
  }),
  route({
    method: 'POST',
    path: '/api/auth/logout-all',
    guard: loginRequired,
    summary: 'End all my sessions (optionally all but this one)',
    tag: 'auth',
    body: { json: LogoutAllBody },
    answers: { 200: { description: 'How many sessions ended.', json: LogoutAllAnswer } },
    handler: async (ctx: AppContext, { body }, s: AuthServices) => ({ removed: await s.auth.logoutAll(ctx, body.keepCurrent ?? false) }),
  }),
  route({
    method: 'GET',
    path: '/api/auth/sessions',
    guard: loginRequired,
    summary: 'My logins (devices)',
    description:
      'Most recently used first; `current` is the session of the token that asked. The idle expiry moves when a session is used.',
    tag: 'auth',
    answers: { 200: { description: 'The sessions.', json: SessionsAnswer } },
    handler: async (ctx: AppContext, _input, s: AuthServices) => ({ sessions: await s.auth.sessions(ctx) }),
  }),
  route({
    method: 'DELETE',
    path: '/api/auth/sessions/:id',
    guard: loginRequired,
    summary: 'End one of my sessions (another device)',
    tag: 'auth',
    params: z.object({ id: z.string().describe('the `id` from GET /api/auth/sessions') }),
    answers: { 204: { description: 'Ended: its token stops working at once.', empty: true } },
    errors: { 404: ['SESSION_NOT_FOUND'] },
    handler: async (ctx: AppContext, { params }, s: AuthServices) => {
      const id = SessionIdParam.safeParse(params.id);
      if (!id.success || !(await s.auth.endSession(ctx, id.data))) {
        throw httpError(404, 'SESSION_NOT_FOUND', 'You have no session with this id.');
      }
      ctx.status = 204;
    },
  }),
];
