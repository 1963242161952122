import { randomUUID } from 'node:crypto';
import { Prisma, type PrismaClient, type User } from './generated/prisma/client';
import { direct, sameFields, sqliteDate } from './sqlite-direct';

/**
 * A new user's login as three SQLite statements instead of three Prisma queries (~0.6 ms of CPU less per
 * login): the look-up by openid, the new user, its first session. Each gives undefined when the direct
 * connection is not there, or when User is no longer the model below; the caller then makes the same
 * query through Prisma.
 */

/**
 * User's columns and their SQLite types in the schema this project was generated with: change User (a
 * field, `@map`, `@@map`, a type) and logins use Prisma, which knows your defaults.
 */
const USER_COLUMNS = {
  id: 'TEXT',
  openid: 'TEXT',
  unionid: 'TEXT',
  nickname: 'TEXT',
  avatarUrl: 'TEXT',
  phone: 'TEXT',
  createdAt: 'DATETIME',
  updatedAt: 'DATETIME',
  nicknamePending: 'TEXT',
  avatarPending: 'TEXT',
  phonePure: 'TEXT',
  phoneCountryCode: 'TEXT',
  phoneVerifiedAt: 'DATETIME',
  phoneLookupDay: 'TEXT',
  phoneLookups: 'INTEGER',
};
const USER = { User: USER_COLUMNS };
export const userAsGenerated = sameFields(Prisma.UserScalarFieldEnum, USER_COLUMNS);

/** The user with this openid (null: none), as prisma.user.findUnique gives it. */
export async function findUserByOpenid(prisma: PrismaClient, openid: string): Promise<User | null | undefined> {
  if (!userAsGenerated) return undefined;
  return direct(prisma, (s) => s.get<User>('SELECT * FROM "User" WHERE "openid" = ?', [openid]) ?? null, USER);
}

/** A unique index refused the row (Prisma's P2002, as SQLite says it). */
const isSqliteUnique = (err: unknown) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String((err as { code?: unknown }).code));

/**
 * Creates the user as prisma.user.create would: a UUID v4 id, createdAt and updatedAt now, the
 * schema's defaults for the rest. A unique violation is thrown with Prisma's code, P2002.
 */
export async function createUser(
  prisma: PrismaClient,
  data: { openid: string; unionid?: string; nickname?: string; avatarUrl?: string },
): Promise<User | undefined> {
  if (!userAsGenerated) return undefined;
  return direct(
    prisma,
    (s) => {
      const now = sqliteDate(new Date());
      const row = [randomUUID(), data.openid, data.unionid ?? null, data.nickname ?? null, data.avatarUrl ?? null, now, now];
      try {
        return s.get<User>(
          'INSERT INTO "User" ("id", "openid", "unionid", "nickname", "avatarUrl", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
          row,
        )!;
      } catch (err) {
        if (isSqliteUnique(err)) throw Object.assign(new Error('Unique constraint failed', { cause: err }), { code: 'P2002' });
        throw err;
      }
    },
    USER,
  );
}
