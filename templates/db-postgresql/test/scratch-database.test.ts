import { Client } from 'pg';
import { twinDatabaseUrl } from '../scripts/reset-database';
import { dropDatabase, resetDatabase, testDatabaseUrl } from './support/database';

test('an empty database the tests did not create is refused, not dropped (someone made it, with its own owner and grants)', async () => {
  const url = twinDatabaseUrl(testDatabaseUrl(), '_someones');
  const name = new URL(url).pathname.slice(1);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const server = new Client({ connectionString: admin.toString() });
  await server.connect();
  const exists = async () => (await server.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  try {
    await server.query(`DROP DATABASE IF EXISTS "${name}"`); // a leftover of an interrupted run
    await server.query(`CREATE DATABASE "${name}"`);
    await expect(resetDatabase(url)).rejects.toThrow(/^Refusing to drop .*: it exists and was not created by the tests or dev:mock/);
    await expect(dropDatabase(url)).rejects.toThrow(/^Refusing to drop /);
    expect(await exists()).toBe(1);
  } finally {
    await server.query(`DROP DATABASE IF EXISTS "${name}"`);
    await server.end();
  }
});
