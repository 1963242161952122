import type { Options } from './options';

/** A service compose.yaml runs beside the app: a database server or Redis, as data (like CiService). */
export interface ComposeService {
  name: string;
  /** `${VAR:-default}`: the official image, which a test may swap for a stand-in. */
  image: string;
  environment: Record<string, string>;
  hasEnvironment: boolean;
  volume?: string;
  /** The health check's `test`, in exec form (a YAML flow list). */
  healthcheck: string;
}

/** What compose.yaml needs for these options (pure): the template only lists it. */
export interface Compose {
  /** Two app replicas, unless sessions or the database live inside one container. */
  replicas: number;
  /** The database's name: the project's, as its development URL names it. */
  dbName: string;
  databaseUrl: string;
  appVolumes: string[];
  services: ComposeService[];
  volumes: string[];
}

const exec = (...args: string[]) => `[${args.map((a) => `'${a}'`).join(', ')}]`;

export function composeFor(o: Pick<Options, 'db' | 'sessionStore' | 'projectName'>): Compose {
  const dbName = o.projectName.replace(/[^a-z0-9_]/g, '_');
  const services: Array<Omit<ComposeService, 'hasEnvironment'>> = [];
  let databaseUrl = 'file:/data/app.db';
  if (o.db === 'postgresql') {
    const password = '${POSTGRES_PASSWORD:?add POSTGRES_PASSWORD to .env}';
    databaseUrl = `postgresql://postgres:${password}@db:5432/${dbName}`;
    services.push({
      name: 'db',
      image: '${POSTGRES_IMAGE:-postgres:17-bookworm}',
      environment: { POSTGRES_PASSWORD: password, POSTGRES_DB: dbName },
      volume: 'db-data:/var/lib/postgresql/data',
      healthcheck: exec('CMD', 'pg_isready', '-U', 'postgres', '-h', '127.0.0.1'),
    });
  }
  if (o.db === 'mysql') {
    const password = '${MYSQL_ROOT_PASSWORD:?add MYSQL_ROOT_PASSWORD to .env}';
    databaseUrl = `mysql://root:${password}@db:3306/${dbName}`;
    services.push({
      name: 'db',
      image: '${MARIADB_IMAGE:-mariadb:11}',
      environment: { MARIADB_ROOT_PASSWORD: password, MARIADB_DATABASE: dbName },
      volume: 'db-data:/var/lib/mysql',
      healthcheck: exec('CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'),
    });
  }
  if (o.sessionStore === 'redis') {
    services.push({
      name: 'redis',
      image: '${REDIS_IMAGE:-redis:7-bookworm}',
      environment: {},
      healthcheck: exec('CMD', 'redis-cli', 'ping'),
    });
  }
  const appVolumes = [...(o.db === 'sqlite' ? ['data:/data'] : []), 'uploads:/app/uploads'];
  return {
    replicas: o.db === 'sqlite' || o.sessionStore === 'memory' ? 1 : 2,
    dbName,
    databaseUrl,
    appVolumes,
    services: services.map((s) => ({ ...s, hasEnvironment: Object.keys(s.environment).length > 0 })),
    volumes: [...(o.db === 'sqlite' ? ['data'] : []), ...services.filter((s) => s.volume).map((s) => s.volume!.split(':')[0]), 'uploads'],
  };
}
