import { z } from 'zod';

/** What the share routes take and answer (`.meta({ id })`: named in the OpenAPI document). */

/** POST /api/share/codes: a page of the Mini Program (no leading /, no query) and its parameters. */
export const ShareCodeBody = z
  .object({ page: z.string().max(128), params: z.record(z.string(), z.string()).optional() })
  .meta({ id: 'ShareCodeBody' });

export const ShareCodeAnswer = z
  .object({ scene: z.string(), page: z.string(), params: z.record(z.string(), z.string()), imageUrl: z.string() })
  .meta({ id: 'ShareCodeAnswer' });

export const SceneParams = z.object({ scene: z.string() });

/** POST /api/share/links: a page and its query (`a=1&b=2`, at most 1024 characters). */
export const ShareLinkBody = z.object({ page: z.string().max(128), query: z.string().optional() }).meta({ id: 'ShareLinkBody' });

export const ShareLinkAnswer = z.object({ url: z.string(), expiresAt: z.iso.datetime() }).meta({ id: 'ShareLinkAnswer' });
