import { z } from 'zod';
import { DecryptAnswer, DecryptBody, HealthAnswer, LoginAnswer, LoginBody, PhoneAnswer, PhoneBody, UserAnswer } from './schemas';

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
      503: ['DATABASE_UNAVAILABLE', 'SESSION_STORE_UNAVAILABLE'],
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
  'POST /api/auth/phone': {
    summary: 'Store the phone number of a getPhoneNumber button',
    tag: 'auth',
    auth: 'login',
    body: { json: PhoneBody },
    answers: { 200: { description: 'The phone number, now stored on the user.', json: PhoneAnswer } },
    errors: { 400: ['INVALID_CODE'], ...WECHAT_ERRORS },
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
    errors: { 400: ['DECRYPT_FAILED', 'WATERMARK_MISMATCH'] },
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
