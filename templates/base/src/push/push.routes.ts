import { z } from 'zod';
import type { AppContext } from '../auth/state';
import { httpError } from '../platform/errors';
import { route } from '../platform/route';
import { PUSH_MAX_BYTES, type PushReceiver } from './push-receiver';
import { PushEncrypted, PushQuery } from './push.schemas';

/** What the push routes need of the app. */
export interface PushServices {
  push: PushReceiver;
}

/** Reads the raw body (the signature covers its bytes), refusing past `max` bytes. */
async function rawBody(ctx: AppContext, max: number): Promise<string> {
  if (Number(ctx.get('content-length') || 0) > max) throw httpError(413, 'PAYLOAD_TOO_LARGE', 'The push body is too large.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw httpError(413, 'PAYLOAD_TOO_LARGE', 'The push body is too large.');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
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
      await s.push.receive(query, () => rawBody(ctx, PUSH_MAX_BYTES));
      ctx.type = 'text/plain';
      return 'success';
    },
  }),
];
