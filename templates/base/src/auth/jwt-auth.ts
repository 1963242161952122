import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { PrismaClient, User } from '../generated/prisma/client';
import { databaseFix } from '../platform/database-problems';
import { failsAs, failure, httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import { deviceHint } from './device';
import { payloadToUser, userToPayload } from './payload';
import { JwtSession, type SessionEvents, type SessionRecord, type SessionStore } from './session';
import { type Entry, SessionCache } from './session-cache';
import { Tombstones } from './tombstones';
import type { AppContext, AuthState } from './state';
import type { TokenService } from './tokens';

export interface JwtAuthOptions {
  tokens: TokenService;
  store: SessionStore;
  prisma: PrismaClient;
  /** Idle expiry (SESSION_TTL): a session unused this long ends. */
  ttlSeconds: number;
  /** The absolute cap (SESSION_MAX_AGE): no use keeps a session past it (nor past `ttlSeconds`, if longer). */
  maxAgeSeconds: number;
  /** A used session is written back (last use, idle expiry) at most this often (SESSION_TOUCH_INTERVAL). */
  touchIntervalSeconds: number;
  /** At most this many sessions per user (SESSIONS_PER_USER): the least recently used go at login. */
  sessionsPerUser: number;
  cacheMs: number;
  /** Removals and changes from other instances (Redis pub/sub), to drop cached copies at once. */
  events?: SessionEvents;
  log?: Logger;
  now?: () => number;
}

/** What a user sees of one of their sessions: never its id (part of what a token names), a hash of it. */
export interface SessionInfo {
  id: string;
  device: string | null;
  createdAt: string;
  lastUsedAt: string;
  /** When it ends unless used again (SESSION_TTL after its last use, never past `expiresAt`). */
  idleExpiresAt: string;
  /** When it ends at the latest: the token's own expiry. */
  expiresAt: string;
  current: boolean;
}

/** The id a user sees for a session: 16 characters of its SHA-256, so the list never shows a token's sid. */
export const publicSessionId = (sid: string) => createHash('sha256').update(sid).digest('base64url').slice(0, 16);

const SCHEMES = new Set(['jwt', 'bearer']);

/**
 * The token of `Authorization: JWT <token>` (or `Bearer <token>`), or null. Node keeps only the first
 * of repeated Authorization headers; a request that sends two is ambiguous, so it gets none.
 */
export function tokenFromRequest(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header) return null;
  let count = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].length === 13 && req.rawHeaders[i].toLowerCase() === 'authorization') count++;
  }
  if (count !== 1) return null;
  const space = header.indexOf(' ');
  if (space < 0 || !SCHEMES.has(header.slice(0, space).toLowerCase())) return null;
  return header.slice(space + 1).trim() || null;
}

// the user behind a session lives in the database: an unmigrated one says so, not "sessions are unavailable"
const unavailable = (cause: unknown) =>
  databaseFix(cause) ?? httpError(503, 'SESSION_STORE_UNAVAILABLE', 'Sessions are unavailable right now; retry shortly.');

/**
 * Sessions for a client without cookies: a JWT that names a server-side session (sent as
 * `Authorization: JWT <token>`), and the two hooks in payload.ts.
 *
 * Expiry slides: each use moves the session's idle expiry to SESSION_TTL from now (written back at most
 * once per SESSION_TOUCH_INTERVAL), never past the absolute cap SESSION_MAX_AGE after login, which is
 * also the token's `exp`.
 *
 * Revocation: a session removed on this instance (logout, eviction) is refused here from that moment,
 * even by a request whose load of it was already in flight (a tombstone is checked when the load
 * resolves). Another instance drops it at once when the store publishes events (Redis), else after
 * SESSION_CACHE_MS at most.
 */
export class JwtAuth {
  private readonly cache: SessionCache;
  /** Ids removed lately: a load that started before the removal must not bring the session back. */
  private readonly removed: Tombstones;
  private readonly now: () => number;
  private readonly ttlMs: number;
  private readonly maxAgeMs: number;
  private readonly touchMs: number;
  private readonly perUser: number;

  constructor(private readonly o: JwtAuthOptions) {
    this.now = o.now ?? Date.now;
    this.cache = new SessionCache(o.cacheMs, 10_000, this.now);
    this.removed = new Tombstones(10 * 60_000, 100_000); // its own clock: a step of the wall clock must not forget one
    this.ttlMs = o.ttlSeconds * 1000;
    this.maxAgeMs = Math.max(o.maxAgeSeconds, o.ttlSeconds) * 1000;
    this.touchMs = o.touchIntervalSeconds * 1000;
    this.perUser = o.sessionsPerUser;
    o.events?.subscribe((event) => {
      this.forgetRemoved(event.removed ?? []);
      for (const sid of event.changed ?? []) this.cache.delete(sid);
    });
  }

  /**
   * Sets `ctx.state.jwtUser` and `ctx.state.jwtSession` on every request: the user and session of a
   * valid token, else null and an empty session. A bad token never throws (guards decide); a store
   * that cannot answer is a 503. Session data changed by a successful request is saved after it.
   */
  middleware(): Middleware<AuthState> {
    return async (ctx, next) => {
      ctx.state.jwtUser = null;
      const token = tokenFromRequest(ctx.req);
      const claims = token ? this.o.tokens.verify(token) : null;
      if (claims) {
        // The common case, without a promise: a session cached and touched lately. (A removed session
        // is never in the cache: forgetRemoved() drops it, and load() never caches one.)
        const entry = this.cache.get(claims.sid);
        if (entry && this.touchedLately(entry)) this.use(ctx, claims.sid, entry);
        else await this.load(ctx, claims.sid);
      }
      if (!ctx.state.jwtUser) ctx.state.jwtSession = JwtSession.empty(); // only when no session was found
      await next();
      const session = ctx.state.jwtSession;
      if (session.id && session.changed()) {
        await this.o.store.saveData(session.id, session.data).catch(failsAs(unavailable));
        this.cache.delete(session.id);
      }
    };
  }

  private async load(ctx: AppContext, sid: string): Promise<void> {
    if (this.removed.has(sid)) return;
    let entry = this.cache.get(sid);
    if (!entry) {
      let record: SessionRecord | null;
      let user: User | null = null;
      try {
        record = await this.o.store.get(sid);
        if (record) user = await payloadToUser(record.payload, { prisma: this.o.prisma });
      } catch (err) {
        throw failure(unavailable, err);
      }
      // Removed while it loaded (a logout racing this request): it stays removed.
      if (!record || !user || this.removed.has(sid)) return;
      entry = this.cache.set(sid, record, user);
    }
    if (!this.touchedLately(entry)) await this.touch(sid, entry); // at most once per interval
    this.use(ctx, sid, entry);
  }

  /** Written back less than SESSION_TOUCH_INTERVAL ago: nothing to write for this use. */
  private touchedLately(entry: Entry): boolean {
    return this.now() - entry.record.lastUsedAt < this.touchMs;
  }

  private use(ctx: AppContext, sid: string, { record, user, dataJson }: Entry): void {
    ctx.state.jwtUser = user;
    ctx.state.jwtSession = new JwtSession(sid, dataJson, new Date(record.expiresAt), record.sessionKey);
  }

  /** Slides the idle expiry of a used session, writing at most once per touch interval. */
  private async touch(sid: string, entry: Entry): Promise<void> {
    if (this.touchedLately(entry)) return;
    const now = this.now();
    const { record } = entry;
    record.lastUsedAt = now;
    record.expiresAt = Math.min(now + this.ttlMs, record.maxExpiresAt);
    // A session that is not extended still works until its old expiry: not worth failing the request.
    await this.o.store
      .update(sid, { lastUsedAt: record.lastUsedAt, expiresAt: record.expiresAt })
      .catch((err: unknown) => this.o.log?.warn({ err }, 'could not extend a session'));
  }

  /**
   * Logs `user` in: creates a session and returns the token the client sends back.
   * A request that already carries a valid token of this same user (a re-login after a stale
   * session_key) refreshes that session in place: new session_key, no second session. `newUser`: the
   * login just created `user` (it has no session yet).
   */
  async jwtLogin(ctx: AppContext, user: User, sessionKey: string, newUser = false): Promise<{ token: string; expiresAt: Date }> {
    const now = this.now();
    const current = ctx.state.jwtSession;
    if (current.id && ctx.state.jwtUser?.id === user.id) {
      const sid = current.id;
      const entry = await this.o.store.get(sid).catch(failsAs(unavailable));
      if (entry && !this.removed.has(sid)) {
        const expiresAt = Math.min(now + this.ttlMs, entry.maxExpiresAt);
        await this.o.store.update(sid, { sessionKey, lastUsedAt: now, expiresAt }).catch(failsAs(unavailable));
        this.cache.delete(sid);
        ctx.state.jwtUser = user;
        ctx.state.jwtSession = new JwtSession(sid, JSON.stringify(entry.data), new Date(expiresAt), sessionKey);
        const absolute = new Date(entry.maxExpiresAt);
        return { token: this.o.tokens.sign(sid, absolute), expiresAt: absolute };
      }
    }
    const sid = randomBytes(32).toString('base64url');
    const maxExpiresAt = now + this.maxAgeMs;
    const record: SessionRecord = {
      userId: user.id,
      payload: userToPayload(user),
      sessionKey,
      data: {},
      expiresAt: Math.min(now + this.ttlMs, maxExpiresAt),
      maxExpiresAt,
      createdAt: now,
      lastUsedAt: now,
      device: deviceHint(ctx.get('user-agent')),
    };
    const evicted = await this.o.store.create(sid, record, this.perUser, newUser).catch(failsAs(unavailable));
    this.forgetRemoved(evicted);
    ctx.state.jwtUser = user;
    ctx.state.jwtSession = new JwtSession(sid, '{}', new Date(record.expiresAt), sessionKey);
    const absolute = new Date(maxExpiresAt);
    return { token: this.o.tokens.sign(sid, absolute), expiresAt: absolute };
  }

  /** Ends the request's session: its token is refused on this instance from now on. */
  async jwtLogout(ctx: AppContext): Promise<void> {
    const sid = ctx.state.jwtSession.id;
    if (sid) await this.remove(sid);
    ctx.state.jwtUser = null;
    ctx.state.jwtSession = JwtSession.empty();
  }

  /** The logged-in user's sessions, the most recently used first. */
  async sessions(ctx: AppContext): Promise<SessionInfo[]> {
    const current = ctx.state.jwtSession.id;
    const list = await this.o.store.list(ctx.state.jwtUser!.id).catch(failsAs(unavailable));
    return list
      .filter(({ id }) => !this.removed.has(id))
      .map(({ id, record: r }) => ({
        id: publicSessionId(id),
        device: r.device,
        createdAt: new Date(r.createdAt).toISOString(),
        lastUsedAt: new Date(r.lastUsedAt).toISOString(),
        idleExpiresAt: new Date(r.expiresAt).toISOString(),
        expiresAt: new Date(r.maxExpiresAt).toISOString(),
        current: id === current,
      }));
  }

  /** Ends one of the logged-in user's own sessions, named by its public id; false if they have none such. */
  async endSession(ctx: AppContext, publicId: string): Promise<boolean> {
    const list = await this.o.store.list(ctx.state.jwtUser!.id).catch(failsAs(unavailable));
    const found = list.find(({ id }) => publicSessionId(id) === publicId);
    if (!found) return false;
    if (found.id === ctx.state.jwtSession.id) return this.jwtLogout(ctx).then(() => true);
    await this.remove(found.id);
    return true;
  }

  /** Ends every session of the logged-in user (but the current one with `keepCurrent`); returns how many. */
  async logoutAll(ctx: AppContext, keepCurrent: boolean): Promise<number> {
    const current = ctx.state.jwtSession.id ?? undefined;
    const keep = keepCurrent ? current : undefined;
    if (current && !keep) this.forgetRemoved([current]);
    const ids = await this.o.store.destroyAll(ctx.state.jwtUser!.id, keep).catch(failsAs(unavailable));
    this.forgetRemoved(ids);
    if (!keep) {
      ctx.state.jwtUser = null;
      ctx.state.jwtSession = JwtSession.empty();
    }
    return ids.length;
  }

  /** Forget a cached session so the next request reloads it (e.g. after its user changed). */
  forget(sid: string | null): void {
    if (sid) this.cache.delete(sid);
  }

  /** Marks the session removed before the store removes it: a load in flight cannot put it back. */
  private async remove(sid: string): Promise<void> {
    this.forgetRemoved([sid]);
    await this.o.store.destroy(sid).catch(failsAs(unavailable));
  }

  private forgetRemoved(ids: string[]): void {
    for (const sid of ids) {
      this.removed.add(sid);
      this.cache.delete(sid);
    }
  }
}
