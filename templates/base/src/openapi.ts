import { z } from 'zod';
import {
  DecryptAnswer,
  DecryptBody,
  HealthAnswer,
  LoginAnswer,
  LoginBody,
  LogoutAllAnswer,
  LogoutAllBody,
  SessionsAnswer,
  OtherUserAnswer,
  PhoneAnswer,
  PhoneBody,
  ProfileBody,
  PushEncrypted,
  PushQuery,
  UserAnswer,
} from './schemas';

/**
 * What every route takes and answers, one entry per `METHOD /path` of src/routes.ts (a test fails when a
 * route has no entry, or an entry no route). The document served at /openapi.json is made from these
 * entries and the zod schemas that validate the requests (src/openapi-document.ts), so it cannot drift.
 *
 * Not listed here because the document adds them itself: 401 UNAUTHORIZED and 503 SESSION_STORE_UNAVAILABLE
 * for `auth: 'login'`; 400 BAD_REQUEST, 413 PAYLOAD_TOO_LARGE and 415 UNSUPPORTED_MEDIA_TYPE for a body;
 * 500 INTERNAL everywhere.
 */

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request body: JSON, or a multipart form (files as `z.file()`, e.g. `z.object({ avatar: z.file() })`). */
export type RequestBody = { json: z.ZodType } | { multipart: z.ZodObject };

/** A success answer: JSON, text or XML (e.g. WeChat's message push), or nothing (204). */
export type Answer = { description: string } & (
  { json: z.ZodType } | { text: z.ZodType; type: 'text/plain' | 'application/xml' } | { empty: true }
);

export interface RouteDoc {
  summary: string;
  description?: string;
  tag: 'auth' | 'wechat' | 'health' | 'users' | 'meta';
  /** `login`: behind `loginRequired` or `@LoginRequired()` (a test checks this against the router). */
  auth: 'login' | 'none';
  /** The `:name` parts of the path, e.g. `z.object({ id: z.string() })` for `/api/auth/sessions/:id`. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: RequestBody;
  /** Success answers by status. */
  answers: Record<number, Answer>;
  /** The error codes this route answers with, by status (besides the ones the document adds itself). */
  errors?: Record<number, string[]>;
}

/** What a call to WeChat may end in (src/wechat/errors.ts). */
const WECHAT_ERRORS = {
  429: ['WECHAT_RATE_LIMITED'],
  502: ['WECHAT_BUSY', 'WECHAT_CONFIG', 'WECHAT_ERROR', 'WECHAT_UNAVAILABLE', 'WECHAT_BAD_RESPONSE'],
  504: ['WECHAT_TIMEOUT'],
};
const health = (summary: string, description: string): RouteDoc => ({
  summary,
  description,
  tag: 'health',
  auth: 'none',
  answers: { 200: { description: 'Up.', json: HealthAnswer } },
});
const ready = (summary: string): RouteDoc => ({
  ...health(summary, 'The database (and Redis, with the Redis session store) answer; the answer is cached for 1 s.'),
  errors: { 503: ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'] },
});

export const API: Record<`${Method} /${string}`, RouteDoc> = {
  'GET /livez': health('Liveness', 'The process runs; never asks a dependency (for PM2/systemd restarts).'),
  'GET /readyz': ready('Readiness'),
  'GET /healthz': ready('Readiness (alias of /readyz)'),

  'POST /api/auth/login': {
    summary: 'Log in with a wx.login() code',
    description:
      'Exchanges the code with WeChat (jscode2session) for a session on this server. Optionally `encryptedData` + `iv` ' +
      '(user info, decrypted with the session_key) and `rawData` + `signature`; each pair is sent together or not at all.',
    tag: 'auth',
    auth: 'none',
    body: { json: LoginBody },
    answers: { 200: { description: 'A token for `Authorization: JWT <token>`.', json: LoginAnswer } },
    errors: {
      400: ['INVALID_CODE', 'BAD_SIGNATURE', 'DECRYPT_FAILED', 'WATERMARK_MISMATCH'],
      ...WECHAT_ERRORS,
      429: ['TOO_MANY_REQUESTS', 'WECHAT_RATE_LIMITED'],
      503: ['DATABASE_UNAVAILABLE', 'SESSION_STORE_UNAVAILABLE', 'RATE_LIMIT_UNAVAILABLE'],
    },
  },
  'GET /api/auth/me': {
    summary: 'The logged-in user',
    tag: 'auth',
    auth: 'login',
    answers: { 200: { description: 'The user.', json: UserAnswer } },
  },
  'POST /api/auth/logout': {
    summary: 'Log out',
    description: 'Deletes the session: its token stops working at once.',
    tag: 'auth',
    auth: 'login',
    answers: { 204: { description: 'Logged out.', empty: true } },
  },
  'GET /api/auth/sessions': {
    summary: 'My logins (devices)',
    description:
      'Most recently used first; `current` is the session of the token that asked. The idle expiry moves when a session is used.',
    tag: 'auth',
    auth: 'login',
    answers: { 200: { description: 'The sessions.', json: SessionsAnswer } },
  },
  'DELETE /api/auth/sessions/:id': {
    summary: 'End one of my sessions (another device)',
    tag: 'auth',
    auth: 'login',
    params: z.object({ id: z.string().describe('the `id` from GET /api/auth/sessions') }),
    answers: { 204: { description: 'Ended: its token stops working at once.', empty: true } },
    errors: { 404: ['SESSION_NOT_FOUND'] },
  },
  'POST /api/auth/logout-all': {
    summary: 'End all my sessions (optionally all but this one)',
    tag: 'auth',
    auth: 'login',
    body: { json: LogoutAllBody },
    answers: { 200: { description: 'How many sessions ended.', json: LogoutAllAnswer } },
  },
  'POST /api/auth/phone': {
    summary: 'Store the phone number of a getPhoneNumber button',
    tag: 'auth',
    auth: 'login',
    body: { json: PhoneBody },
    answers: { 200: { description: 'The phone number, now stored on the user.', json: PhoneAnswer } },
    errors: {
      400: ['INVALID_CODE'],
      ...WECHAT_ERRORS,
      429: ['WECHAT_RATE_LIMITED', 'PHONE_DAILY_LIMIT'],
      503: ['DATABASE_UNAVAILABLE', 'PHONE_QUOTA_EXHAUSTED'],
    },
  },

  'POST /api/wechat/decrypt': {
    summary: "Decrypt a WeChat payload with this login's session_key",
    description:
      'For wx.getWeRunData, wx.getShareInfo, ...: log in first, fetch the data second. DECRYPT_FAILED almost always means a ' +
      'stale session_key: call wx.login(), log in again, fetch the data again and retry.',
    tag: 'wechat',
    auth: 'login',
    body: { json: DecryptBody },
    answers: { 200: { description: 'The decrypted data.', json: DecryptAnswer } },
    errors: { 400: ['DECRYPT_FAILED', 'WATERMARK_MISMATCH'], 409: ['SESSION_KEY_STALE'] },
  },

  'PUT /api/users/me': {
    summary: 'Set my nickname (from <input type="nickname">)',
    description: "Checked by WeChat's msg_sec_check v2: `review` keeps it pending (others see the previous one), `risky` refuses it.",
    tag: 'users',
    auth: 'login',
    body: { json: ProfileBody },
    answers: { 200: { description: 'The user (nicknamePending while WeChat reviews it).', json: UserAnswer } },
    errors: {
      409: ['WECHAT_USER_INACTIVE'],
      422: ['CONTENT_REJECTED'],
      503: ['CONTENT_CHECK_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
    },
  },
  'POST /api/users/me/avatar': {
    summary: 'Upload my avatar (from <button open-type="chooseAvatar">, sent with wx.uploadFile)',
    description: "PNG, JPEG or WebP by content, at most 2 MB. Pending until WeChat's media check answers through message push.",
    tag: 'users',
    auth: 'login',
    body: { multipart: z.object({ avatar: z.file() }) },
    answers: { 200: { description: 'The user (avatarPending until WeChat answers).', json: UserAnswer } },
    errors: {
      400: ['BAD_MULTIPART'],
      409: ['WECHAT_USER_INACTIVE'],
      415: ['UNSUPPORTED_IMAGE'],
      503: ['CONTENT_CHECK_UNAVAILABLE', 'DATABASE_UNAVAILABLE'],
    },
  },
  'GET /api/users/:id': {
    summary: 'Another user, as others see them',
    description: 'Approved nickname and avatar only: never pending content, never the phone number.',
    tag: 'users',
    auth: 'login',
    params: z.object({ id: z.string() }),
    answers: { 200: { description: 'The user.', json: OtherUserAnswer } },
    errors: { 404: ['USER_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] },
  },

  'GET /api/wechat/push': {
    summary: "WeChat's URL check of message push (消息推送)",
    description: 'Echoes `echostr` when `signature` = sha1(sorted token, timestamp, nonce) matches.',
    tag: 'wechat',
    auth: 'none',
    query: PushQuery,
    answers: { 200: { description: 'The echostr.', text: z.string(), type: 'text/plain' } },
    errors: { 400: ['BAD_PUSH'], 401: ['BAD_SIGNATURE', 'STALE_TIMESTAMP'], 503: ['PUSH_NOT_CONFIGURED'] },
  },
  'POST /api/wechat/push': {
    summary: 'A message from WeChat (消息推送, JSON, safe mode)',
    description: 'Signed by WeChat; applied at most once; answered `success`. Handles `wxa_media_check` (the avatar verdict).',
    tag: 'wechat',
    auth: 'none',
    query: PushQuery,
    body: { json: z.union([PushEncrypted, z.record(z.string(), z.unknown())]) },
    answers: { 200: { description: '"success"', text: z.literal('success'), type: 'text/plain' } },
    errors: {
      400: ['BAD_PUSH', 'PUSH_PLAIN_MODE'],
      401: ['BAD_SIGNATURE', 'STALE_TIMESTAMP'],
      403: ['WRONG_APPID'],
      415: ['PUSH_FORMAT'],
      503: ['PUSH_NOT_CONFIGURED', 'DATABASE_UNAVAILABLE'],
    },
  },

  'GET /media/:name': {
    summary: 'An uploaded file (served by nginx in production; by the app in development)',
    tag: 'users',
    auth: 'none',
    params: z.object({ name: z.string() }),
    answers: { 200: { description: 'The image.', text: z.string(), type: 'text/plain' } },
    errors: { 404: ['NOT_FOUND'] },
  },

  'GET /openapi.json': {
    summary: 'This document',
    description: 'In production a 404, unless OPENAPI_PUBLIC=true.',
    tag: 'meta',
    auth: 'none',
    answers: { 200: { description: 'The OpenAPI 3.1 document.', json: z.object({ openapi: z.string() }).loose() } },
    errors: { 404: ['NOT_FOUND'] },
  },
};
