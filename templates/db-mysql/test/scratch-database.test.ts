import mariadb from 'mariadb';
import { twinDatabaseUrl } from '../scripts/reset-database';
import { mariadbConfig } from '../src/mariadb-config';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';

test('an empty database the tests did not create is refused, not dropped (someone made it, with its own grants)', async () => {
  const url = twinDatabaseUrl(testDatabaseUrl(), '_someones');
  const { database, ...server } = mariadbConfig(url);
  const conn = await mariadb.createConnection(server);
  const exists = async () =>
    ((await conn.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database])) as unknown[]).length;
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``); // a leftover of an interrupted run
    await conn.query(`CREATE DATABASE \`${database}\``);
    await expect(resetDatabase(url)).rejects.toThrow(/^Refusing to drop .*: it exists and was not created by the tests or dev:mock/);
    await expect(dropDatabase(url)).rejects.toThrow(/^Refusing to drop /);
    expect(await exists()).toBe(1);
  } finally {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await conn.end();
  }
});
