import { httpError } from '../platform/errors';

/** A dependency that must answer for the app to be ready: the database, Redis. */
export type ReadinessChecks = Record<string, () => Promise<unknown>>;

/**
 * Resolves while every dependency answers, else throws 503 naming the first that does not. The answer is
 * kept for `cacheMs`, so probes under load cost no query each; failures too.
 */
export function readiness(checks: ReadinessChecks, cacheMs = 1000, now: () => number = Date.now): () => Promise<void> {
  type Failure = { code: string; message: string };
  let last: { at: number; failed: Failure | null } | undefined;
  let pending: Promise<Failure | null> | undefined;
  const probe = async (): Promise<Failure | null> => {
    for (const [name, check] of Object.entries(checks)) {
      try {
        await check();
      } catch (err) {
        // a check may say what is wrong and what fixes it (an exposed 503: "not migrated", "access denied")
        const e = err as { expose?: unknown; code?: unknown; message?: unknown };
        if (e.expose === true && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message };
        return { code: `${name.toUpperCase()}_UNAVAILABLE`, message: `The ${name} does not answer.` };
      }
    }
    return null;
  };
  return async function ready(): Promise<void> {
    if (!last || now() - last.at >= cacheMs) {
      pending ??= probe().finally(() => (pending = undefined));
      last = { at: now(), failed: await pending };
    }
    if (last.failed) throw httpError(503, last.failed.code, last.failed.message);
  };
}
