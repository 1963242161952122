import '../../src/platform/node-version'; // first: a clear line on an unsupported Node
import { resetDatabase, testDatabaseUrl } from './database';
import { testRunTag } from './test-run';

/** Once per `npm test`: a fresh test database at the committed migrations, and this run's tag for the workers. */
export default async function globalSetup(): Promise<void> {
  testRunTag(); // sets TEST_RUN_TAG, which the workers inherit
  await resetDatabase(testDatabaseUrl());
}
