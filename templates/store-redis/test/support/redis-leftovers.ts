import Redis from 'ioredis';

/**
 * Deletes the Redis keys of one test run and returns their names. The app names every key after its
 * AppID, and every test AppID starts with the run's tag (test-run.ts), so `*wx<tag>*` is this run's keys.
 */
export const deleteRunKeys = (tag: string): Promise<string[]> => deleteKeysNaming(`wx${tag}`);

/** Deletes the Redis keys whose names contain `fragment` (e.g. one test app's AppID) and returns their names. */
export async function deleteKeysNaming(fragment: string): Promise<string[]> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `*${fragment}*`, count: 1000 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    return keys.sort();
  } finally {
    redis.disconnect();
  }
}
