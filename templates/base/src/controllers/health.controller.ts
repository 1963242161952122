import type { PrismaClient } from '../generated/prisma/client';
import type { AppContext } from '../auth/state';
import { HttpError } from '../errors';

/** GET /healthz → 200 while the database answers, else 503 (for nginx, PM2 and load balancers). */
export function health(prisma: PrismaClient) {
  return async function healthz(ctx: AppContext): Promise<void> {
    try {
      await prisma.$queryRawUnsafe('SELECT 1');
    } catch {
      throw new HttpError(503, 'DATABASE_UNAVAILABLE', 'The database does not answer.');
    }
    ctx.body = { status: 'ok' };
  };
}
