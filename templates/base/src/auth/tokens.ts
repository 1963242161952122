import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

/** What a token says: which server-side session it stands for, and until when. Nothing else. */
export interface TokenClaims {
  sid: string;
  exp: number;
}

/** Session ids are 32 random bytes, base64url. */
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
const MAX_TOKEN_LENGTH = 1024;

/**
 * Signs and verifies session tokens with HS256 only. The secret becomes a KeyObject once: given a
 * string, jsonwebtoken re-parses it on every call (about 50x slower per verify). Verified tokens are
 * remembered (claims only, the least recently used go first) because a client sends the same token on
 * every request; a remembered token is still refused once its `exp` (plus the clock tolerance) has
 * passed. The memo needs no ttl of its own: each token's `exp` is its lifetime, checked on every hit.
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly verified: LRUCache<string, TokenClaims>;

  constructor(
    secret: string,
    private readonly clockToleranceSeconds = 5,
    maxRemembered = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    if (Buffer.byteLength(secret) < 32) throw new Error('JWT secret must be at least 32 bytes');
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
    this.verified = new LRUCache({ max: maxRemembered });
  }

  sign(sid: string, expiresAt: Date): string {
    return jwt.sign({ sid, exp: Math.floor(expiresAt.getTime() / 1000) }, this.key, { algorithm: 'HS256' });
  }

  /** The claims of a valid token, or null: bad signature, other algorithm, expired, or the wrong shape. */
  verify(token: string): TokenClaims | null {
    const known = this.verified.get(token);
    if (known) {
      if ((known.exp + this.clockToleranceSeconds) * 1000 > this.now()) return known;
      this.verified.delete(token);
      return null;
    }
    const claims = this.verifySignature(token); // only a verified token enters the memo
    if (claims) this.verified.set(token, claims);
    return claims;
  }

  private verifySignature(token: string): TokenClaims | null {
    if (token.length > MAX_TOKEN_LENGTH) return null;
    let payload: unknown;
    try {
      payload = jwt.verify(token, this.key, { algorithms: ['HS256'], clockTolerance: this.clockToleranceSeconds });
    } catch {
      return null;
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
    const { sid, exp } = payload as Record<string, unknown>;
    if (typeof exp !== 'number' || typeof sid !== 'string' || !SESSION_ID.test(sid)) return null;
    return { sid, exp };
  }
}
