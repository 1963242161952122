import { defineConfig } from 'prisma/config';

// Prisma 7 does not read .env by itself.
try {
  process.loadEnvFile('.env');
} catch {
  // no .env: the environment alone must hold DATABASE_URL
}

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
