import { z } from 'zod';
import { required } from '../platform/env';

/** The settings the Redis store adds to src/config.ts's schema. */
export const STORE_ENV = {
  REDIS_URL: required('a redis:// URL')
    .pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL'))
    .describe('Redis, for sessions and the shared WeChat access token'),
};

/** Their names in `Config`. */
export const storeConfig = (e: { REDIS_URL: string }) => ({ redisUrl: e.REDIS_URL });
