/** What the server keeps for one login. `sessionKey` is WeChat's session_key: it never leaves the server. */
export interface SessionRecord {
  userId: number;
  /** What `userToPayload` made at login; `payloadToUser` turns it back into the user. */
  payload: Record<string, unknown>;
  sessionKey: string;
  /** The app's own per-session data (`ctx.state.jwtSession.data`). */
  data: Record<string, unknown>;
  expiresAt: number;
}

/** Where sessions live: the database, Redis or memory. `get` returns null for a missing or expired id. */
export interface SessionStore {
  create(id: string, record: SessionRecord): Promise<void>;
  get(id: string): Promise<SessionRecord | null>;
  /** Saves the app's data; the rest of the record never changes. */
  saveData(id: string, data: Record<string, unknown>): Promise<void>;
  destroy(id: string): Promise<void>;
  close(): Promise<void>;
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

  get isEmpty(): boolean {
    return this.id === null;
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
