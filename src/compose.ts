import { createHash } from 'node:crypto';
import { databaseName, type Options } from './options';

/** A service compose.yaml runs beside the app: a database server or Redis, as data (like CiService). */
export interface ComposeService {
  name: string;
  /** `${VAR:-default}`: the official image, which a user may pin and a test may swap for a stand-in. */
  image: string;
  environment: Record<string, string>;
  hasEnvironment: boolean;
  /** `<named volume>:<path>`: where the service keeps its data. */
  volume: string;
  /** The health check's `test`, in exec form (a YAML flow list). */
  healthcheck: string;
}

/** What compose.yaml needs for these options (pure): the template only lists it. */
export interface Compose {
  /** Two app replicas, unless the data (SQLite) or the sessions (memory) live inside one container. */
  replicas: number;
  /** The app's DATABASE_URL inside the compose network (the password comes from .env). */
  databaseUrl: string;
  appVolumes: string[];
  services: ComposeService[];
  volumes: string[];
  /**
   * The compose network's subnet, named explicitly so that the app can trust nginx's X-Forwarded-For
   * from it (TRUSTED_PROXIES). Derived from the project's name so that two projects on one machine do not
   * ask for the same one; `COMPOSE_SUBNET` in .env overrides it.
   */
  subnet: string;
  /** `${COMPOSE_SUBNET:-<subnet>}`, as compose.yaml writes it (the network's and TRUSTED_PROXIES). */
  subnetRef: string;
  /** The variables that may name other images than compose.yaml's (from .env): one per service, nginx's last. */
  imageVars: string[];
  /** The .env variables the generator fills with fresh random values (the database's password). */
  secrets: string[];
}

const exec = (...args: string[]) => `[${args.map((a) => `'${a}'`).join(', ')}]`;
/** compose's own check: `docker compose up` stops with this line when .env lacks the variable. */
const fromEnv = (name: string) => `\${${name}:?add ${name} to .env (see the README, Containers)}`;

/** The third octet of 10.213.x.0/24, from the project's name: 1 to 254. */
function subnetOctet(projectName: string): number {
  return (createHash('sha256').update(projectName).digest().readUInt16BE(0) % 254) + 1;
}

/** The database server compose.yaml runs for each server database, as data: its official image's settings. */
const DATABASE_SERVERS = {
  postgresql: {
    secret: 'POSTGRES_PASSWORD',
    url: (password: string, db: string) => `postgresql://postgres:${password}@db:5432/${db}`,
    image: '${POSTGRES_IMAGE:-postgres:17-bookworm}',
    environment: (password: string, db: string) => ({ POSTGRES_PASSWORD: password, POSTGRES_DB: db }),
    volume: 'db-data:/var/lib/postgresql/data',
    healthcheck: exec('CMD', 'pg_isready', '-U', 'postgres', '-h', '127.0.0.1'),
  },
  mysql: {
    secret: 'MYSQL_ROOT_PASSWORD',
    url: (password: string, db: string) => `mysql://root:${password}@db:3306/${db}`,
    image: '${MARIADB_IMAGE:-mariadb:11}',
    environment: (password: string, db: string) => ({ MARIADB_ROOT_PASSWORD: password, MARIADB_DATABASE: db }),
    volume: 'db-data:/var/lib/mysql',
    healthcheck: exec('CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'),
  },
} as const;

export function composeFor(o: Pick<Options, 'db' | 'sessionStore' | 'projectName'>): Compose {
  const services: Array<Omit<ComposeService, 'hasEnvironment'>> = [];
  const secrets: string[] = [];
  let databaseUrl = 'file:/data/app.db';
  if (o.db !== 'sqlite') {
    const server = DATABASE_SERVERS[o.db];
    const password = fromEnv(server.secret);
    const dbName = databaseName(o.projectName);
    secrets.push(server.secret);
    databaseUrl = server.url(password, dbName);
    services.push({
      name: 'db',
      image: server.image,
      environment: server.environment(password, dbName),
      volume: server.volume,
      healthcheck: server.healthcheck,
    });
  }
  if (o.sessionStore === 'redis') {
    services.push({
      name: 'redis',
      image: '${REDIS_IMAGE:-redis:7-bookworm}',
      environment: {},
      volume: 'redis-data:/data',
      healthcheck: exec('CMD', 'redis-cli', 'ping'),
    });
  }
  const subnet = `10.213.${subnetOctet(o.projectName)}.0/24`;
  return {
    replicas: o.db === 'sqlite' || o.sessionStore === 'memory' ? 1 : 2,
    databaseUrl,
    appVolumes: [...(o.db === 'sqlite' ? ['data:/data'] : []), 'uploads:/app/uploads'],
    services: services.map((s) => ({ ...s, hasEnvironment: Object.keys(s.environment).length > 0 })),
    volumes: [...(o.db === 'sqlite' ? ['data'] : []), ...services.map((s) => s.volume.split(':')[0]), 'uploads'],
    imageVars: [...services.map((s) => /^\$\{([A-Z_]+):-/.exec(s.image)![1]), 'NGINX_IMAGE'],
    subnet,
    subnetRef: `\${COMPOSE_SUBNET:-${subnet}}`,
    secrets,
  };
}
