import type { Options } from './options';

/** Everything templates may refer to, derived from the options (pure). */
export interface TemplateContext extends Options {
  isSqlite: boolean;
  isPostgres: boolean;
  isMysql: boolean;
  storeDb: boolean;
  storeRedis: boolean;
  storeMemory: boolean;
  prismaProvider: 'sqlite' | 'postgresql' | 'mysql';
  databaseUrl: string;
  testDatabaseUrl: string;
  /** The throw-away database of `npm run dev:mock`. */
  mockDatabaseUrl: string;
  instancePorts: number[];
}

export function databaseUrls(o: Pick<Options, 'db' | 'projectName'>): { dev: string; test: string; mock: string } {
  const name = o.projectName.replace(/[^a-z0-9_]/g, '_');
  switch (o.db) {
    case 'sqlite':
      return { dev: 'file:./dev.db', test: 'file:./test.db', mock: 'file:./mock.db' };
    case 'postgresql': {
      const dev = `postgresql://postgres@127.0.0.1:5432/${name}`;
      return { dev, test: `${dev}_test`, mock: `${dev}_mock` };
    }
    case 'mysql': {
      const dev = `mysql://root@127.0.0.1:3306/${name}`;
      return { dev, test: `${dev}_test`, mock: `${dev}_mock` };
    }
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
    prismaProvider: o.db,
    databaseUrl: urls.dev,
    testDatabaseUrl: urls.test,
    mockDatabaseUrl: urls.mock,
    instancePorts: Array.from({ length: o.instances }, (_, i) => o.port + i),
  };
}
