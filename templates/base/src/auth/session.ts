import type { PrismaClient } from '../generated/prisma/client';
import type { Logger } from '../log';
import type { TokenCache } from '../wechat/access-token';

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
}

/** What the project's store overlay (`src/auth/store.ts`) builds from the config. */
export interface Stores {
  store: SessionStore;
  /** Where the WeChat access token is kept: this process, or Redis to share it between instances. */
  tokenCache: TokenCache;
  /** What /readyz asks of the store's server, if it has one (e.g. `{ redis: () => redis.ping() }`). */
  readiness?: Record<string, () => Promise<unknown>>;
  /** Lets go of the store's connections (after the last request). */
  close(): Promise<void>;
}

/** What a store may build on: the app's database client and its logger. */
export interface StoreDeps {
  prisma: PrismaClient;
  log: Logger;
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
