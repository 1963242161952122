import type { Options } from './options';

/** Everything templates may refer to, derived from the options (pure). */
export interface TemplateContext extends Options {
  isSqlite: boolean;
  isPostgres: boolean;
  isMysql: boolean;
  storeDb: boolean;
  storeRedis: boolean;
  storeMemory: boolean;
  /** A server we share state through: sessions and the WeChat access token live outside the process. */
  sharedState: boolean;
  prismaProvider: 'sqlite' | 'postgresql' | 'mysql';
  adapterImport: string;
  databaseUrl: string;
  testDatabaseUrl: string;
  instancePorts: number[];
}

const ADAPTER_IMPORTS: Record<Options['db'], string> = {
  sqlite: "import { PrismaBetterSqlite3 as Adapter } from '@prisma/adapter-better-sqlite3';",
  postgresql: "import { PrismaPg as Adapter } from '@prisma/adapter-pg';",
  mysql: "import { PrismaMariaDb as Adapter } from '@prisma/adapter-mariadb';",
};

export function databaseUrls(o: Pick<Options, 'db' | 'projectName'>): { dev: string; test: string } {
  const name = o.projectName.replace(/[^a-z0-9_]/g, '_');
  switch (o.db) {
    case 'sqlite':
      return { dev: 'file:./dev.db', test: 'file:./test.db' };
    case 'postgresql':
      return { dev: `postgresql://postgres@127.0.0.1:5432/${name}`, test: `postgresql://postgres@127.0.0.1:5432/${name}_test` };
    case 'mysql':
      return { dev: `mysql://root@127.0.0.1:3306/${name}`, test: `mysql://root@127.0.0.1:3306/${name}_test` };
  }
}

export function templateContext(o: Options): TemplateContext {
  const urls = databaseUrls(o);
  return {
    ...o,
    isSqlite: o.db === 'sqlite',
    isPostgres: o.db === 'postgresql',
    isMysql: o.db === 'mysql',
    storeDb: o.sessionStore === 'db',
    storeRedis: o.sessionStore === 'redis',
    storeMemory: o.sessionStore === 'memory',
    sharedState: o.sessionStore === 'redis',
    prismaProvider: o.db,
    adapterImport: ADAPTER_IMPORTS[o.db],
    databaseUrl: urls.dev,
    testDatabaseUrl: urls.test,
    instancePorts: Array.from({ length: o.instances }, (_, i) => o.port + i),
  };
}
