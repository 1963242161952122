import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPrisma, ProductionSqlite } from '../src/db';
import { PrismaClient } from '../src/generated/prisma/client';
import { direct, registerDirect } from '../src/sqlite-direct';
import { createUser, findUserByOpenid, userAsGenerated } from '../src/sqlite-logins';
import { testDatabaseUrl } from './support/database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let prisma: ReturnType<typeof createPrisma>;
const tag = `o_direct_${Date.now()}`;
beforeAll(() => {
  prisma = createPrisma(testDatabaseUrl());
});
afterAll(async () => {
  await prisma.user.deleteMany({ where: { openid: { startsWith: tag } } });
  await prisma.$disconnect();
});

test("a login's statements run on Prisma's own connection once it is open, and again after a reconnect (an adapter upgrade that hides it fails here)", async () => {
  await prisma.user.count(); // Prisma connects on its first query
  expect(await direct(prisma, () => 'direct')).toBe('direct');
  await prisma.$disconnect();
  expect(await direct(prisma, () => 'direct')).toBeUndefined(); // closed: the caller asks Prisma, which reconnects
  await prisma.user.count();
  expect(await direct(prisma, () => 'direct')).toBe('direct');
});

test('a user created directly is the row prisma.user.create makes: same fields, types and stored date format', async () => {
  const profile = { nickname: '小明', avatarUrl: 'https://thirdwx.qlogo.cn/a.png', unionid: `${tag}_union` };
  const mine = (await createUser(prisma, { openid: `${tag}_a`, ...profile }))!;
  const theirs = await prisma.user.create({ data: { openid: `${tag}_b` } });
  expect(await prisma.user.findUnique({ where: { id: mine.id } })).toEqual(mine);
  expect(await findUserByOpenid(prisma, `${tag}_b`)).toEqual(theirs);
  expect(await findUserByOpenid(prisma, `${tag}_none`)).toBeNull();
  const shape = (u: object) =>
    Object.entries(u)
      .map(([k, v]) => [k, v instanceof Date ? 'Date' : v === null ? 'null' : typeof v])
      .sort();
  expect(shape(mine)).toEqual(shape({ ...theirs, ...profile }));
  expect(mine.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(Math.abs(mine.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  // the text SQLite holds: Prisma compares dates as text, so both must write the same format
  const stored = await prisma.$queryRawUnsafe<Array<{ f: string }>>(
    `SELECT typeof("createdAt") || ':' || length("createdAt") || ':' || typeof("updatedAt") || ':' || length("updatedAt") AS f FROM "User" WHERE "id" IN (?, ?)`,
    mine.id,
    theirs.id,
  );
  expect(new Set(stored.map((r) => r.f)).size).toBe(1);
});

test("a second user with the same openid is refused with Prisma's code (P2002), so the race of two first logins is handled", async () => {
  await createUser(prisma, { openid: `${tag}_twice` });
  await expect(createUser(prisma, { openid: `${tag}_twice` })).rejects.toMatchObject({ code: 'P2002' });
  expect(await prisma.user.count({ where: { openid: `${tag}_twice` } })).toBe(1);
});

test("a direct write waits for another request's open transaction: that transaction rolling back does not undo it", async () => {
  let opened!: () => void;
  const open = new Promise<void>((resolve) => (opened = resolve));
  const failing = prisma.$transaction(async (tx) => {
    await tx.user.create({ data: { openid: `${tag}_in_tx` } });
    opened();
    await sleep(100); // another request's write arrives meanwhile
    throw new Error('rolled back');
  });
  const outcome = failing.then(
    () => 'committed',
    (err: Error) => err.message,
  );
  await open;
  const outside = await createUser(prisma, { openid: `${tag}_outside` }); // acknowledged to its client
  expect(await outcome).toBe('rolled back');
  expect(await prisma.user.findUnique({ where: { openid: `${tag}_in_tx` } })).toBeNull();
  expect(await prisma.user.findUnique({ where: { openid: `${tag}_outside` } })).toEqual(outside);
});

test('a User table changed from the generated one (here a column renamed, as @map does) is left to Prisma, not an error', async () => {
  expect(userAsGenerated).toBe(true); // this project's own User model: the direct statements apply to it
  const file = path.join(os.tmpdir(), `cwb-custom-user-${process.pid}-${Date.now()}.db`);
  const custom = createPrisma(`file:${file}`);
  try {
    await custom.$executeRawUnsafe('CREATE TABLE "User" ("id" TEXT NOT NULL PRIMARY KEY, "open_id" TEXT NOT NULL)');
    expect(await findUserByOpenid(custom, 'o_1')).toBeUndefined(); // undefined: the caller asks Prisma
    expect(await createUser(custom, { openid: 'o_1' })).toBeUndefined();
    expect(await custom.$queryRawUnsafe('SELECT * FROM "User"')).toEqual([]); // nothing written behind Prisma's back
  } finally {
    await custom.$disconnect();
    for (const suffix of ['', '-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  }
});

test("a date SQLite wrote itself (CURRENT_TIMESTAMP's text has no zone) reads as Prisma reads it, UTC, on a server set to China's time", async () => {
  const tz = process.env.TZ;
  process.env.TZ = 'Asia/Shanghai';
  try {
    const u = await prisma.user.create({ data: { openid: `${tag}_tz` } });
    await prisma.$executeRawUnsafe(`UPDATE "User" SET "createdAt" = '2026-01-02 03:04:05' WHERE "id" = ?`, u.id);
    const theirs = await prisma.user.findUniqueOrThrow({ where: { id: u.id } });
    expect(theirs.createdAt.toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect((await findUserByOpenid(prisma, `${tag}_tz`))?.createdAt).toEqual(theirs.createdAt);
  } finally {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  }
});

test('a column these statements cannot read as Prisma would is left to Prisma (undefined), not an error', async () => {
  await prisma.user.count();
  expect(await direct(prisma, (s) => s.get('SELECT 1 AS "n"', []))).toBeUndefined();
});

test("an adapter set to another timestampFormat (unixepoch-ms) leaves logins to Prisma: the direct statements' ISO dates would mix with Prisma's numbers", async () => {
  const adapter = new ProductionSqlite({ url: testDatabaseUrl() }, { timestampFormat: 'unixepoch-ms' });
  const other = new PrismaClient({ adapter });
  registerDirect(other, () => adapter.direct); // as createPrisma does
  try {
    await other.user.count(); // connected
    expect(await direct(other, () => 'direct')).toBeUndefined();
    expect(await createUser(other, { openid: `${tag}_epoch` })).toBeUndefined(); // the caller asks Prisma
    expect(await other.user.count({ where: { openid: `${tag}_epoch` } })).toBe(0);
  } finally {
    await other.$disconnect();
  }
});
