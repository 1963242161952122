import { createStore } from '../src/stores/store';
import { loadConfig } from '../src/config';
import { memoryLogger } from '../src/platform/log';
import type { PrismaClient } from '../src/generated/prisma/client';
import { testDatabaseUrl } from './support/database';

test('Redis down at start: one line naming REDIS_URL (its password masked), nothing left reconnecting', async () => {
  const config = loadConfig({
    WX_APPID: 'wx0123456789abcdef',
    WX_SECRET: 's',
    JWT_SECRET: 'x'.repeat(48),
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: 'redis://:hunter2@127.0.0.1:9',
  });
  const started = Date.now();
  const err = await createStore(config, { prisma: {} as PrismaClient, log: memoryLogger() }).catch((e: unknown) => e as Error);
  expect(err).toBeInstanceOf(Error);
  expect((err as Error).message).toMatch(
    /^Redis does not answer at REDIS_URL=redis:\/\/:\*\*\*@127\.0\.0\.1:9 \(.*\): start it, or fix REDIS_URL in \.env\.$/,
  );
  expect((err as Error).message).not.toContain('hunter2');
  expect(Date.now() - started).toBeLessThan(5000);
});
