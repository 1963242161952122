import { z } from 'zod';
import { route } from '../platform/route';

/** What the health routes need of the app: the readiness probe (database, and Redis with that store). */
export interface HealthServices {
  ready: () => Promise<void>;
}

const HealthAnswer = z.object({ status: z.literal('ok') }).meta({ id: 'HealthAnswer' });
const up = { 200: { description: 'Up.', json: HealthAnswer } };

const ready = (path: string, summary: string) =>
  route({
    method: 'GET',
    path,
    summary,
    description: 'The database (and Redis, with the Redis session store) answer; the answer is cached for 1 s.',
    tag: 'health',
    answers: up,
    errors: { 503: ['DATABASE_UNAVAILABLE', 'REDIS_UNAVAILABLE'] },
    handler: async (_ctx, _input, s: HealthServices) => {
      await s.ready();
      return { status: 'ok' };
    },
  });

/** Probes for PM2, systemd, nginx and containers: no login, no body. */
export const healthRoutes = [
  route({
    method: 'GET',
    path: '/livez',
    summary: 'Liveness',
    description: 'The process answers (for restarts: it never asks a dependency).',
    tag: 'health',
    answers: up,
    handler: async () => ({ status: 'ok' }),
  }),
  ready('/readyz', 'Readiness'),
  ready('/healthz', 'Readiness (the same as /readyz)'),
];
