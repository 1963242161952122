import { z } from 'zod';

/**
 * The query WeChat's message push signs (GET verifies the URL; POST carries a message). Every field is
 * optional here so that the handler answers first 503 (push off), then 401 for an unsigned request.
 */
export const PushQuery = z
  .object({
    signature: z.string().optional(),
    timestamp: z.string().optional().describe('required: seconds since the epoch, within 5 minutes of ours'),
    nonce: z.string().optional().describe('required'),
    echostr: z.string().optional(),
    encrypt_type: z.string().optional().describe('`aes`: safe mode, the only one accepted'),
    msg_signature: z.string().optional(),
    openid: z.string().optional(),
  })
  .meta({ id: 'PushQuery' });
/** A push in safe mode: only the ciphertext (JSON data format). */
export const PushEncrypted = z.object({ ToUserName: z.string().optional(), Encrypt: z.string() }).meta({ id: 'PushEncrypted' });
/** The event mediaCheckAsync's verdict arrives in. */
export const MediaCheckEvent = z.object({
  Event: z.literal('wxa_media_check'),
  appid: z.string().optional(),
  trace_id: z.string(),
  version: z.number().optional(),
  result: z.object({ suggest: z.enum(['pass', 'review', 'risky']), label: z.union([z.number(), z.string()]).optional() }).optional(),
  isrisky: z.number().optional(),
});
