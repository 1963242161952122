import { z } from 'zod';
import type { AppContext } from '../auth/state';
import { readRawBody } from '../platform/body';
import { route } from '../platform/route';
import { PUSH_MAX_BYTES, type PushReceiver } from './push-receiver';
import { PushEncrypted, PushQuery } from './push.schemas';

/** What the push routes need of the app. */
export interface PushServices {
  push: PushReceiver;
}

/** WeChat's message push (消息推送): signed by WeChat, no login. */
export const pushRoutes = [
  route({
    method: 'GET',
    path: '/api/wechat/push',
    summary: "WeChat's URL check of message push (消息推送)",
    description: 'Echoes `echostr` when `signature` = sha1(sorted token, timestamp, nonce) matches.',
    tag: 'wechat',
    query: PushQuery,
    answers: { 200: { description: 'The echostr.', text: z.string(), type: 'text/plain' } },
    errors: { 400: ['BAD_PUSH'], 401: ['BAD_SIGNATURE', 'STALE_TIMESTAMP'], 503: ['PUSH_NOT_CONFIGURED'] },
    handler: async (ctx: AppContext, { query }, s: PushServices) => {
      ctx.type = 'text/plain';
      return s.push.verify(query);
    },
  }),
  route({
    method: 'POST',
    path: '/api/wechat/push',
    summary: 'A message from WeChat (消息推送, JSON, safe mode)',
    description: 'Signed by WeChat; applied at most once; answered `success`. Handles `wxa_media_check` (the avatar verdict).',
    tag: 'wechat',
    query: PushQuery,
    // read by the handler: the signature covers the raw bytes
    body: { json: z.union([PushEncrypted, z.record(z.string(), z.unknown())]), raw: true },
    answers: { 200: { description: '"success"', text: z.literal('success'), type: 'text/plain' } },
    errors: {
      400: ['BAD_PUSH', 'PUSH_PLAIN_MODE'],
      401: ['BAD_SIGNATURE', 'STALE_TIMESTAMP'],
      403: ['WRONG_APPID'],
      415: ['PUSH_FORMAT'],
      503: ['PUSH_NOT_CONFIGURED', 'DATABASE_UNAVAILABLE'],
    },
    handler: async (ctx: AppContext, { query }, s: PushServices) => {
      // the signature covers the raw bytes; a broken or oversized body is the sender's 4xx
      await s.push.receive(query, async () => (await readRawBody(ctx, PUSH_MAX_BYTES, 'The push body is too large.')).toString('utf8'));
      ctx.type = 'text/plain';
      return 'success';
    },
  }),
];
