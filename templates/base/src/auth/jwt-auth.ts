import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Middleware } from 'koa';
import type { PrismaClient, User } from '../generated/prisma/client';
import { httpError } from '../errors';
import { payloadToUser, userToPayload } from './payload';
import { JwtSession, type SessionRecord, type SessionStore } from './session';
import { SessionCache } from './session-cache';
import type { AppContext, AuthState } from './state';
import type { TokenService } from './tokens';

export interface JwtAuthOptions {
  tokens: TokenService;
  store: SessionStore;
  prisma: PrismaClient;
  ttlSeconds: number;
  cacheMs: number;
  now?: () => number;
}

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

const unavailable = () => httpError(503, 'SESSION_STORE_UNAVAILABLE', 'Sessions are unavailable right now; retry shortly.');

/** The seed's JWT session: a token that names a server-side session, and the two hooks in payload.ts. */
export class JwtAuth {
  private readonly cache: SessionCache;
  private readonly now: () => number;

  constructor(private readonly o: JwtAuthOptions) {
    this.now = o.now ?? Date.now;
    this.cache = new SessionCache(o.cacheMs, 10_000, this.now);
  }

  /**
   * Sets `ctx.state.jwtUser` and `ctx.state.jwtSession` on every request: the user and session of a
   * valid token, else null and an empty session. A bad token never throws (guards decide); a store
   * that cannot answer is a 503. Session data changed by a successful request is saved after it.
   */
  middleware(): Middleware<AuthState> {
    return async (ctx, next) => {
      ctx.state.jwtUser = null;
      ctx.state.jwtSession = JwtSession.empty();
      const token = tokenFromRequest(ctx.req);
      const claims = token ? this.o.tokens.verify(token) : null;
      if (claims) await this.load(ctx, claims.sid);
      await next();
      const session = ctx.state.jwtSession;
      if (session.id && session.changed()) {
        await this.o.store.saveData(session.id, session.data).catch(() => {
          throw unavailable();
        });
        this.cache.delete(session.id);
      }
    };
  }

  private async load(ctx: AppContext, sid: string): Promise<void> {
    let entry = this.cache.get(sid);
    if (!entry) {
      let record: SessionRecord | null;
      let user: User | null = null;
      try {
        record = await this.o.store.get(sid);
        if (record) user = await payloadToUser(record.payload, { prisma: this.o.prisma });
      } catch {
        throw unavailable();
      }
      if (!record || !user) return;
      entry = this.cache.set(sid, record, user);
    }
    const { record, user, dataJson } = entry;
    ctx.state.jwtUser = user;
    ctx.state.jwtSession = new JwtSession(sid, dataJson, new Date(record.expiresAt), record.sessionKey);
  }

  /** The seed's `jwt_login`: creates a session for `user` and returns the token the client sends back. */
  async jwtLogin(ctx: AppContext, user: User, sessionKey: string): Promise<{ token: string; expiresAt: Date }> {
    const sid = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now() + this.o.ttlSeconds * 1000);
    const record: SessionRecord = { userId: user.id, payload: userToPayload(user), sessionKey, data: {}, expiresAt: expiresAt.getTime() };
    await this.o.store.create(sid, record).catch(() => {
      throw unavailable();
    });
    ctx.state.jwtUser = user;
    ctx.state.jwtSession = new JwtSession(sid, '{}', expiresAt, sessionKey);
    return { token: this.o.tokens.sign(sid, expiresAt), expiresAt };
  }

  /** Ends the request's session: its token stops working at once on this instance. */
  async jwtLogout(ctx: AppContext): Promise<void> {
    const sid = ctx.state.jwtSession.id;
    if (sid) {
      this.cache.delete(sid);
      await this.o.store.destroy(sid).catch(() => {
        throw unavailable();
      });
    }
    ctx.state.jwtUser = null;
    ctx.state.jwtSession = JwtSession.empty();
  }

  /** Forget a cached session so the next request reloads it (e.g. after its user changed). */
  forget(sid: string | null): void {
    if (sid) this.cache.delete(sid);
  }
}
