import { setTimeout as sleep } from 'node:timers/promises';
import { MigrationError } from './migrations';

/** How a migrator waits while another instance holds the migration lock. */
export interface MigrateOptions {
  /** Called once, when the lock is held elsewhere and this instance starts to wait. */
  onWait?: () => void;
  /** Ends the wait, and the run before its next migration (a SIGTERM before the app listens). */
  signal?: AbortSignal;
  /** Gives up after this long, ms. */
  lockTimeoutMs?: number;
}

/** No migration of ours takes this long: an instance holding the lock longer is stuck, not busy. */
export const LOCK_TIMEOUT_MS = 10 * 60_000;
const POLL_MS = 250;

/**
 * Takes the lock with `tryLock` (true when taken): at once when it is free, else says so once and tries
 * again every POLL_MS, never past the bound, and never after `signal` aborts (it rejects with its reason).
 * A try-lock loop rather than a blocking lock call, so a waiting instance can always be stopped.
 */
export async function acquireLock(tryLock: () => boolean | Promise<boolean>, o: MigrateOptions): Promise<void> {
  o.signal?.throwIfAborted();
  if (await tryLock()) return;
  o.onWait?.();
  const timeoutMs = o.lockTimeoutMs ?? LOCK_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await sleep(POLL_MS, undefined, { signal: o.signal });
    if (await tryLock()) return;
    if (Date.now() >= deadline) {
      throw new MigrationError(
        `another instance has held the migration lock for ${Math.round(timeoutMs / 1000)} s: is its migration stuck? Stop that instance, then start again`,
      );
    }
  }
}

/** `onWait` called at most once, however many times the lock is awaited in one run. */
export function once(o: MigrateOptions): MigrateOptions {
  let said = false;
  const onWait = () => {
    if (said) return;
    said = true;
    o.onWait?.();
  };
  return { ...o, onWait };
}
