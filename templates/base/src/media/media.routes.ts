import fs from 'node:fs';
import { z } from 'zod';
import type { AppContext } from '../auth/state';
import { httpError } from '../platform/errors';
import { route } from '../platform/route';
import { CONTENT_TYPES } from './image-type';
import { LocalDiskStorage, MEDIA_NAME, type MediaStorage } from './storage';

/** What the media route needs of the app: where uploads are kept. */
export interface MediaServices {
  media: MediaStorage;
}

/**
 * GET /media/:name: uploaded files, for development (dev:mock, no nginx). In production nginx serves
 * the same folder under the same path with long cache headers, and this route is never reached.
 */
export const mediaRoutes = [
  route({
    method: 'GET',
    path: '/media/:name',
    summary: 'An uploaded file (served by nginx in production; by the app in development)',
    tag: 'users',
    params: z.object({ name: z.string() }),
    answers: { 200: { description: 'The image.', text: z.string(), type: 'text/plain' } },
    errors: { 404: ['NOT_FOUND'] },
    handler: async (ctx: AppContext, { params }, { media: storage }: MediaServices) => {
      const name = params.name;
      const notFound = () => httpError(404, 'NOT_FOUND', 'No such file.');
      if (!(storage instanceof LocalDiskStorage)) throw notFound(); // stored elsewhere: not served from here
      if (!MEDIA_NAME.test(name)) throw notFound();
      const stat = await fs.promises.stat(storage.file(name)).catch(() => null);
      if (!stat?.isFile()) throw notFound();
      ctx.type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1) as keyof typeof CONTENT_TYPES];
      ctx.length = stat.size;
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable'); // names are random and never reused
      ctx.set('X-Content-Type-Options', 'nosniff');
      return fs.createReadStream(storage.file(name));
    },
  }),
];
