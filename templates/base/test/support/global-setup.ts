import '../../src/platform/node-version'; // first: a clear line on an unsupported Node
import { resetDatabase, testDatabaseUrl } from './database';

/** Once per `npm test`: a fresh test database at the committed migrations. */
export default async function globalSetup(): Promise<void> {
  await resetDatabase(testDatabaseUrl());
}
