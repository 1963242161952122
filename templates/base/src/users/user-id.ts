import { z } from 'zod';

/**
 * A user's id: a random UUID (version 4, from a CSPRNG) that Prisma makes at insert, so an id tells
 * neither how many users there are nor in which order they came, and cannot be guessed from another.
 */
export const UserId = z.uuid().describe('a random UUID').meta({ id: 'UserId' });

/**
 * A UUID's shape in lower case, as Prisma writes ids: the only text worth a database look-up (PostgreSQL's
 * uuid column refuses others). Upper case is not an id either: PostgreSQL and MySQL would find the user
 * while SQLite would not, and an id answers the same on every database.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `text` has the shape of a user id (a UUID), so that it is worth looking up. */
export function isUserId(text: unknown): text is string {
  return typeof text === 'string' && UUID.test(text);
}
