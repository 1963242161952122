/**
 * At most one call in flight per key: a second caller with the same key while the first is running
 * gets the same promise (e.g. one WeChat exchange, one login, per single-use code).
 *
 * Home-made on purpose: it is this one map and a `finally`. lru-cache's `fetch()` also deduplicates,
 * but it caches the result too, and a login code or a token refresh must never be answered from a cache.
 */
export class SingleFlight<K, V> {
  private readonly pending = new Map<K, Promise<V>>();

  run(key: K, call: () => Promise<V>): Promise<V> {
    let promise = this.pending.get(key);
    if (!promise) {
      promise = call().finally(() => this.pending.delete(key));
      this.pending.set(key, promise);
    }
    return promise;
  }
}
