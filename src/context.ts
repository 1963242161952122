import { containerMigrate, hostDatabase, type HostDatabase } from './host-database';
import { databaseName, type Options } from './options';
import { dependencyOverrides } from './package-json';
import { composeFor, type Compose } from './compose';
import { CONTAINER_PM, dockerCmd } from './container';
import { MALLOC_ARENA_MAX, NODE_FLAGS } from './project-rules';

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
  isNpm: boolean;
  isPnpm: boolean;
  isYarn: boolean;
  /** --target cloudrun: 微信云托管. */
  isCloudrun: boolean;
  /** Cloud Run's own MySQL: MYSQL_ADDRESS, MYSQL_USERNAME and MYSQL_PASSWORD may stand in for DATABASE_URL. */
  isCloudrunMysql: boolean;
  /** The database's name in the dev URL (Cloud Run's MYSQL_DATABASE default, container.config.json). */
  databaseName: string;
  /** The service containers of the generated CI workflow: a database server, Redis. */
  ciServices: CiService[];
  /** Commands in the chosen package manager's words (docs and the CI workflow). */
  cmd: PmCommands;
  /** NODE_FLAGS, for the PM2 and systemd start commands. */
  nodeFlags: string;
  /** MALLOC_ARENA_MAX for the production start (systemd, PM2, the Dockerfile). */
  mallocArenaMax: string;
  /** Every server domain the Mini Program needs in WeChat's console (for the READMEs and the CLI alike). */
  consoleDomains: ConsoleDomain[];
  /** Versions forced over what dependencies ask for (pnpm-workspace.yaml; package.json has its own). */
  overrides: Record<string, string>;
  /** The Dockerfile's CMD (exec form, JSON): node itself, with NODE_FLAGS. */
  dockerCmd: string;
  /** pnpm or yarn as the Dockerfile runs it (`npx --yes <this>`), pinned; empty for npm. */
  containerPm: string;
  /**
   * compose.yaml's replicas, database URL, services, volumes and subnet. --target vm only: 微信云托管 runs
   * the image itself, so a cloudrun project has no compose.yaml (its `secrets` are empty).
   */
  compose: Compose;
  /** A database server on the container's host: how to reach it (null for SQLite). */
  hostDatabase: HostDatabase | null;
  /** The READMEs' one-off migration command in a container. */
  containerMigrate: string;
}

/** One list of 服务器域名 in the Mini Program's console (开发管理 → 开发设置 → 服务器域名). */
export interface ConsoleDomain {
  /** The console's own name for the list. */
  list: string;
  url: string;
  /** What the Mini Program calls it for, in English and in Chinese. */
  use: string;
  useZh: string;
}

/**
 * The domains a phone refuses unless they are listed in the console: every wx.request, the avatar's
 * wx.uploadFile, and wx.downloadFile of the images this backend serves. All are this backend's domain.
 */
export function consoleDomains(o: Pick<Options, 'domain'>): ConsoleDomain[] {
  const url = `https://${o.domain}`;
  return [
    { list: 'request合法域名', url, use: 'login and every API call (wx.request)', useZh: '登录和所有接口调用(wx.request)' },
    { list: 'uploadFile合法域名', url, use: 'the avatar upload (wx.uploadFile)', useZh: '上传头像(wx.uploadFile)' },
    {
      list: 'downloadFile合法域名',
      url,
      use: 'if the Mini Program downloads the images served here (wx.downloadFile)',
      useZh: '如果小程序下载本服务提供的图片(wx.downloadFile)',
    },
  ];
}

export interface CiService {
  name: string;
  image: string;
  env: Record<string, string>;
  hasEnv: boolean;
  port: number;
  healthCmd: string;
}

/** What each choice needs in CI, as data: the workflow template only lists them. */
export function ciServices(o: Pick<Options, 'db' | 'sessionStore'>): CiService[] {
  const services: Array<Omit<CiService, 'hasEnv'>> = [];
  if (o.db === 'postgresql') {
    services.push({
      name: 'postgres',
      image: 'postgres:17',
      env: { POSTGRES_HOST_AUTH_METHOD: 'trust' },
      port: 5432,
      healthCmd: 'pg_isready',
    });
  }
  if (o.db === 'mysql') {
    services.push({
      name: 'mariadb',
      image: 'mariadb:11',
      env: { MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: '1' },
      port: 3306,
      healthCmd: '"healthcheck.sh --connect --innodb_initialized"',
    });
  }
  if (o.sessionStore === 'redis') services.push({ name: 'redis', image: 'redis:7', env: {}, port: 6379, healthCmd: '"redis-cli ping"' });
  return services.map((s) => ({ ...s, hasEnv: Object.keys(s.env).length > 0 }));
}

export interface PmCommands {
  /** A clean install from the lockfile, as CI does it. */
  ciInstall: string;
  dbGenerate: string;
  lint: string;
  formatCheck: string;
  typecheck: string;
  test: string;
}

export function pmCommands(pm: Options['pm']): PmCommands {
  const run = (script: string) => (pm === 'npm' ? `npm run ${script}` : `${pm} ${script}`);
  return {
    ciInstall: pm === 'npm' ? 'npm ci' : `${pm} install --frozen-lockfile`,
    dbGenerate: run('db:generate'),
    lint: run('lint'),
    formatCheck: run('format:check'),
    typecheck: run('typecheck'),
    test: `${pm} test`,
  };
}

export function databaseUrls(o: Pick<Options, 'db' | 'projectName'>): { dev: string; test: string; mock: string } {
  const name = databaseName(o.projectName);
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
    isNpm: o.pm === 'npm',
    isPnpm: o.pm === 'pnpm',
    isYarn: o.pm === 'yarn',
    isCloudrun: o.target === 'cloudrun',
    isCloudrunMysql: o.target === 'cloudrun' && o.db === 'mysql',
    databaseName: databaseName(o.projectName),
    ciServices: ciServices(o),
    cmd: pmCommands(o.pm),
    nodeFlags: NODE_FLAGS.join(' '),
    mallocArenaMax: MALLOC_ARENA_MAX,
    consoleDomains: consoleDomains(o),
    overrides: dependencyOverrides(o),
    dockerCmd: dockerCmd(),
    containerPm: CONTAINER_PM[o.pm],
    compose: o.target === 'vm' ? composeFor(o) : { ...composeFor(o), secrets: [] },
    hostDatabase: hostDatabase(o),
    containerMigrate: containerMigrate(o),
  };
}
