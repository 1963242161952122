import { httpError } from '../platform/errors';

/** A dependency that must answer for the app to be ready: the database, Redis. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/**
 * Resolves while every dependency answers, else throws 503 naming the first that does not. The answer is
 * kept for `cacheMs`, so probes under load cost no query each; failures too.
 */
export function readiness(checks: ReadinessChecks, cacheMs = 1000, now: () => number = Date.now): () => Promise<void> {
  let last: { at: number; failed: string | null } | undefined;
  let pending: Promise<string | null> | undefined;
  const probe = async (): Promise<string | null> => {
    for (const [name, check] of Object.entries(checks)) {
      try {
        await check();
      } catch {
        return name;
      }
    }
    return null;
  };
  return async function ready(): Promise<void> {
    if (!last || now() - last.at >= cacheMs) {
      pending ??= probe().finally(() => (pending = undefined));
      last = { at: now(), failed: await pending };
    }
    if (last.failed) throw httpError(503, `${last.failed.toUpperCase()}_UNAVAILABLE`, `The ${last.failed} does not answer.`);
  };
}
