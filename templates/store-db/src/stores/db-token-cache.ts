import { randomBytes } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs } from '../platform/errors';
import { SingleFlight } from '../platform/single-flight';
import { usable, type CachedToken, type TokenCache } from '../wechat/access-token';
import { tokenUnavailable } from '../wechat/errors';

/**
 * The WeChat access token in the database, shared by every instance (one row per AppID). A refresh
 * takes a lock in the same row (one conditional UPDATE, atomic in every database), so that instances
 * starting together, or all seeing 40001 at once, fetch the token once; the others wait for it.
 * A database failure is a 503 (DATABASE_UNAVAILABLE, or DATABASE_NOT_MIGRATED with the fix), its cause kept.
 */
export class DbTokenCache implements TokenCache {
  private readonly refreshing = new SingleFlight<string, CachedToken>();
  private rowReady: Promise<unknown> | undefined;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly appid: string,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<CachedToken | null> {
    const row = await this.prisma.wechatToken.findUnique({ where: { appid: this.appid } }).catch(failsAs(databaseUnavailable));
    return row?.token && row.expiresAt && row.expiresAt.getTime() > this.now()
      ? { token: row.token, expiresAt: row.expiresAt.getTime() }
      : null;
  }

  async set(t: CachedToken): Promise<void> {
    await this.ensureRow();
    await this.prisma.wechatToken
      .updateMany({ where: { appid: this.appid }, data: { token: t.token, expiresAt: new Date(t.expiresAt) } })
      .catch(failsAs(databaseUnavailable));
  }

  async invalidate(token: string): Promise<void> {
    await this.prisma.wechatToken
      .updateMany({ where: { appid: this.appid, token }, data: { token: null, expiresAt: null } })
      .catch(failsAs(databaseUnavailable));
  }

  /**
   * The row the token and the lock live in. Single statements only, never a transaction: two instances
   * creating it at once see one insert win and the other fail with P2002, which is fine.
   */
  private ensureRow(): Promise<unknown> {
    this.rowReady ??= this.prisma.wechatToken.create({ data: { appid: this.appid } }).catch((err: unknown) => {
      if ((err as { code?: unknown }).code === 'P2002') return;
      this.rowReady = undefined; // try again next time
      return failsAs(databaseUnavailable)(err);
    });
    return this.rowReady;
  }

  refresh(stale: string | null, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    return this.refreshing.run(stale ?? '', () => this.refreshShared(stale, fetch));
  }

  private async refreshShared(stale: string | null, fetch: () => Promise<CachedToken>, waitMs = 10_000): Promise<CachedToken> {
    await this.ensureRow();
    const deadline = this.now() + waitMs;
    while (this.now() < deadline) {
      const lockId = randomBytes(16).toString('hex');
      const now = new Date(this.now());
      const { count } = await this.prisma.wechatToken
        .updateMany({
          where: { appid: this.appid, OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] },
          data: { lockId, lockedUntil: new Date(now.getTime() + waitMs) },
        })
        .catch(failsAs(databaseUnavailable));
      if (count === 1) {
        try {
          const fresh = await this.get(); // the previous holder may have finished just now
          if (usable(fresh, stale)) return fresh;
          const token = await fetch();
          await this.set(token);
          return token;
        } finally {
          await this.prisma.wechatToken
            .updateMany({ where: { appid: this.appid, lockId }, data: { lockId: null, lockedUntil: null } })
            .catch(failsAs(databaseUnavailable));
        }
      }
      // Another instance is fetching: wait for its token.
      await new Promise((r) => setTimeout(r, 50));
      const shared = await this.get();
      if (usable(shared, stale)) return shared;
    }
    throw tokenUnavailable(); // 503: retry shortly, as when WeChat does not answer
  }
}
