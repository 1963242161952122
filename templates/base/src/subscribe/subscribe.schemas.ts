import { z } from 'zod';

/** What the subscription routes take and answer (`.meta({ id })`: named in the OpenAPI document). */

/** Send credits by template key. */
const Credits = z.record(z.string(), z.number().int());

/** GET /api/subscriptions: the configured templates (key → template id) and my credits. */
export const SubscriptionsAnswer = z
  .object({ templates: z.record(z.string(), z.string()), credits: Credits })
  .meta({ id: 'SubscriptionsAnswer' });

/** POST /api/subscriptions: what wx.requestSubscribeMessage answered, template id → accept | reject | ban | filter. */
export const SubscribeBody = z
  .object({
    answer: z
      .record(z.string().max(128), z.string().max(32), {
        error: 'answer must be what wx.requestSubscribeMessage answered: {templateId: "accept" | "reject" | ...}',
      })
      .refine((a) => Object.keys(a).length <= 20, 'answer takes at most 20 template ids'),
  })
  .meta({ id: 'SubscribeBody' });

export const SubscribeAnswer = z.object({ accepted: z.array(z.string()), credits: Credits }).meta({ id: 'SubscribeAnswer' });
