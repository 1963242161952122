import { DbSessionStore } from '../../src/stores/db-store';
import type { SessionStore } from '../../src/auth/session';
import { deadPrisma } from './dead-database';

/** The project's session store, in a database it cannot reach. */
export function unreachableStore(): { store: SessionStore; close: () => Promise<void> } {
  const prisma = deadPrisma();
  return { store: new DbSessionStore(prisma), close: () => prisma.$disconnect() };
}
