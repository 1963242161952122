import { dropDatabase, testDatabaseUrl } from './database';

/** After `npm test`: the test database goes, so a run leaves nothing behind (KEEP_TEST_DATABASE=1 keeps it to look at). */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATABASE !== '1') await dropDatabase(testDatabaseUrl());
}
