import { databaseProblem } from '../src/platform/database-problems';

test("MySQL's error numbers name a problem, but not when they are a group of a user id in a message", () => {
  expect(databaseProblem(new Error("Table 'app.User' doesn't exist (errno 1146)"))?.code).toBe('DATABASE_NOT_MIGRATED');
  expect(databaseProblem(Object.assign(new Error('server said no'), { code: 1045 }))?.code).toBe('DATABASE_ACCESS_DENIED');
  // a UUID whose second group is 1146 or 1045: a unique-constraint message, not a missing table or bad password
  for (const id of ['0c9e2f1a-1146-4a2b-9c3d-0123456789ab', '0c9e2f1a-1045-4a2b-9c3d-0123456789ab']) {
    expect(databaseProblem(new Error(`Duplicate entry '${id}' for key 'PRIMARY'`))).toBeNull();
  }
});
