import fs from 'node:fs';
import type { AppContext } from '../auth/state';
import { httpError } from '../platform/errors';
import { CONTENT_TYPES } from './image-type';
import { MEDIA_NAME, type LocalDiskStorage } from './storage';

/**
 * GET /media/:name: uploaded files, for development (dev:mock, no nginx). In production nginx serves
 * the same folder under the same path with long cache headers, and this route is never reached.
 */
export function mediaFiles(storage: LocalDiskStorage) {
  return async function media(ctx: AppContext): Promise<void> {
    const name = String(ctx.params.name);
    const notFound = () => httpError(404, 'NOT_FOUND', 'No such file.');
    if (!MEDIA_NAME.test(name)) throw notFound();
    const stat = await fs.promises.stat(storage.file(name)).catch(() => null);
    if (!stat?.isFile()) throw notFound();
    ctx.type = CONTENT_TYPES[name.slice(name.lastIndexOf('.') + 1) as keyof typeof CONTENT_TYPES];
    ctx.length = stat.size;
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable'); // names are random and never reused
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = fs.createReadStream(storage.file(name));
  };
}
