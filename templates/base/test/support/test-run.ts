import { randomBytes } from 'node:crypto';

/**
 * This test run's tag, 6 hex digits, made once by the global setup so that every Jest worker shares it.
 * Every test AppID starts with it, and the app names all its Redis keys after its AppID, so the global
 * teardown finds the keys this run left (and never another run's, on a shared Redis) by the tag alone.
 */
export function testRunTag(): string {
  if (!/^[0-9a-f]{6}$/.test(process.env.TEST_RUN_TAG ?? '')) process.env.TEST_RUN_TAG = randomBytes(3).toString('hex');
  return process.env.TEST_RUN_TAG!;
}

/** A fresh AppID of this run, in WeChat's format: "wx", the run's tag, 10 random hex digits. */
export const testAppid = (): string => `wx${testRunTag()}${randomBytes(5).toString('hex')}`;
