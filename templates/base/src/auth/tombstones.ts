/**
 * Session ids removed lately (logout, eviction at login), each kept `ttlMs`, at most `max` of them (the
 * oldest forgotten first): a load of the session that started before its removal must not bring it back.
 *
 * A Map in insertion order rather than lru-cache: lru-cache allocates its arrays for `max` entries up
 * front (about 3 MB for 100,000 with a ttl), while most instances hold a handful. Every entry lives the
 * same `ttlMs`, so the oldest inserted is also the first to expire: expired ones are dropped from the front.
 */
export class Tombstones {
  /** Id → when it may be forgotten (ms, `now()`'s clock: by default one that no step of the wall clock moves). */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly max: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  add(id: string): void {
    this.until.delete(id); // re-added: moves to the end, with a fresh expiry
    this.until.set(id, this.now() + this.ttlMs);
    this.prune();
  }

  has(id: string): boolean {
    const until = this.until.get(id);
    return until !== undefined && until > this.now();
  }

  get size(): number {
    return this.until.size;
  }

  /** Drops the expired from the front, then the oldest beyond `max`. */
  private prune(): void {
    const now = this.now();
    for (const [id, until] of this.until) {
      if (until > now && this.until.size <= this.max) break;
      this.until.delete(id);
    }
  }
}
