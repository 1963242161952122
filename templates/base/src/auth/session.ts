/** What the server keeps for one login. `sessionKey` is WeChat's session_key: it never leaves the server. */
export interface SessionRecord {
  userId: string;
  /** What `userToPayload` made at login; `payloadToUser` turns it back into the user. */
  payload: Record<string, unknown>;
  sessionKey: string;
  /** The app's own per-session data (`ctx.state.jwtSession.data`). */
  data: Record<string, unknown>;
  /** Idle expiry (SESSION_TTL after the last use): moved forward when the session is used, never past `maxExpiresAt`. */
  expiresAt: number;
  /** The absolute cap (SESSION_MAX_AGE after login): the token's own `exp`; no use moves it. */
  maxExpiresAt: number;
  createdAt: number;
  /** When the session was last used, to SESSION_TOUCH_INTERVAL: the least recently used goes first. */
  lastUsedAt: number;
  /** A short hint of the device that logged in (from its User-Agent), or null. */
  device: string | null;
}

/** When a session ends: its idle expiry, or its absolute cap if that comes first. Every store uses this. */
export function endsAt(r: Pick<SessionRecord, 'expiresAt' | 'maxExpiresAt'>): number {
  return Math.min(r.expiresAt, r.maxExpiresAt);
}

/** What may change in a session after login (besides its data). */
export type SessionChanges = Partial<Pick<SessionRecord, 'sessionKey' | 'lastUsedAt' | 'expiresAt'>>;

/**
 * Where sessions live: the database, Redis or memory. `get` returns null for a missing or expired id.
 * Every write to a session that is gone is a no-op: a request still in flight never brings back a
 * session that was logged out.
 */
export interface SessionStore {
  /**
   * Stores a new session. If its user then has more than `maxPerUser` live sessions, the least recently
   * used others are removed; their ids are returned. `newUser`: the user was created by this very login,
   * so has no other session to count (a store may then skip reading them).
   */
  create(id: string, record: SessionRecord, maxPerUser: number, newUser?: boolean): Promise<string[]>;
  get(id: string): Promise<SessionRecord | null>;
  /** Saves the app's data. */
  saveData(id: string, data: Record<string, unknown>): Promise<void>;
  /** Changes a live session: a new session_key, or its last use and idle expiry. */
  update(id: string, changes: SessionChanges): Promise<void>;
  destroy(id: string): Promise<void>;
  /** The user's live sessions, the most recently used first. */
  list(userId: string): Promise<Array<{ id: string; record: SessionRecord }>>;
  /** Removes every session of the user except `keep`; returns the ids removed. */
  destroyAll(userId: string, keep?: string): Promise<string[]>;
}

/** A session removed (logged out, evicted) or changed (new session_key, data) somewhere. */
export interface SessionEvent {
  removed?: string[];
  changed?: string[];
}

/**
 * How instances tell each other about removed and changed sessions, when the store can (Redis pub/sub),
 * so that each drops its cached copy at once instead of after SESSION_CACHE_MS.
 */
export interface SessionEvents {
  subscribe(listener: (event: SessionEvent) => void): () => void;
}

/**
 * `ctx.state.jwtSession`: the loaded session, or an empty one when the request is anonymous. Change
 * `data` freely; it is saved when the request succeeds. `data` is parsed on first use, so requests that
 * never touch it cost nothing. The session_key is private: not enumerable and not in `toJSON`, so
 * returning the session in a response cannot leak it.
 */
export class JwtSession {
  readonly #sessionKey: string | null;
  /** The data as stored (JSON), to parse on demand and to compare with at the end of the request. */
  readonly #saved: string;
  #data: Record<string, unknown> | undefined;

  constructor(
    readonly id: string | null,
    savedData: string,
    readonly expiresAt: Date | null,
    sessionKey: string | null,
  ) {
    this.#sessionKey = sessionKey;
    this.#saved = savedData;
  }

  static empty(): JwtSession {
    return new JwtSession(null, '{}', null, null);
  }

  get data(): Record<string, unknown> {
    this.#data ??= JSON.parse(this.#saved) as Record<string, unknown>;
    return this.#data;
  }

  /** WeChat's session_key for this login, for decrypting data on the server. */
  sessionKey(): string | null {
    return this.#sessionKey;
  }

  changed(): boolean {
    return this.#data !== undefined && JSON.stringify(this.#data) !== this.#saved;
  }

  toJSON(): Record<string, unknown> {
    return this.data;
  }
}
