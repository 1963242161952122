import { parse } from 'yaml';
import { composeFor } from '../../src/compose';
import { DATABASES, SESSION_STORES, resolveOptions, type Database, type SessionStore } from '../../src/options';
import { render } from '../../src/render';
import { withSecrets } from '../../src/secrets';
import { templates } from '../support/templates';

const options = (db: Database, sessionStore: SessionStore, more: Record<string, string> = {}) =>
  resolveOptions({ projectName: 'demo', db, sessionStore, pm: 'npm', ...more });

const combos = DATABASES.flatMap((db) => SESSION_STORES.map((store) => [db, store] as [Database, SessionStore]));

describe.each(combos)('composeFor --db %s --session-store %s', (db, store) => {
  const c = composeFor(options(db, store));

  test('two replicas unless the data (SQLite) or the sessions (memory) live inside one container', () => {
    expect(c.replicas).toBe(db === 'sqlite' || store === 'memory' ? 1 : 2);
  });

  test('a database server for PostgreSQL and MySQL, Redis for the Redis store, each with a volume and a health check', () => {
    expect(c.services.map((s) => s.name)).toEqual([...(db === 'sqlite' ? [] : ['db']), ...(store === 'redis' ? ['redis'] : [])]);
    for (const s of c.services) {
      expect(s.volume).toMatch(/^[a-z-]+:\/[a-z/]+$/);
      expect(s.healthcheck).toMatch(/^\['CMD', /);
      expect(s.image).toMatch(/^\$\{[A-Z_]+_IMAGE:-[a-z]+:[\w.-]+\}$/);
    }
    expect(c.volumes).toEqual([...(db === 'sqlite' ? ['data'] : []), ...c.services.map((s) => s.volume.split(':')[0]), 'uploads']);
    expect(c.appVolumes).toEqual([...(db === 'sqlite' ? ['data:/data'] : []), 'uploads:/app/uploads']);
    expect(c.imageVars).toEqual([
      ...(db === 'postgresql' ? ['POSTGRES_IMAGE'] : db === 'mysql' ? ['MARIADB_IMAGE'] : []),
      ...(store === 'redis' ? ['REDIS_IMAGE'] : []),
      'NGINX_IMAGE',
    ]);
  });

  test("the database's password is read from .env by compose, never written in the file", () => {
    const name = { sqlite: null, postgresql: 'POSTGRES_PASSWORD', mysql: 'MYSQL_ROOT_PASSWORD' }[db];
    expect(c.secrets).toEqual(name ? [name] : []);
    if (name) {
      expect(c.databaseUrl).toMatch(new RegExp(`^${db}://root|postgres:\\$\\{${name}:\\?add ${name} to \\.env[^}]*\\}@db:\\d+/demo$`));
      expect(c.services[0].environment).toEqual(
        expect.objectContaining({ [db === 'mysql' ? 'MARIADB_ROOT_PASSWORD' : name]: expect.stringContaining(`\${${name}:?`) }),
      );
    } else {
      expect(c.databaseUrl).toBe('file:/data/app.db');
    }
  });
});

test('the subnet is a /24 of 10.213.0.0/16 that differs between projects (two on one machine), the same for one', () => {
  const subnet = (projectName: string) => composeFor({ db: 'sqlite', sessionStore: 'db', projectName }).subnet;
  expect(subnet('demo')).toBe(subnet('demo'));
  const all = ['demo', 'shop', 'api', 'backend', 'my-app'].map(subnet);
  for (const s of all) expect(s).toMatch(/^10\.213\.([1-9]\d?|1\d\d|2[0-4]\d|25[0-4])\.0\/24$/);
  expect(new Set(all).size).toBeGreaterThan(1);
});

describe.each(combos)('compose.yaml of --db %s --session-store %s', (db, store) => {
  const files = render(options(db, store), templates);
  const c = composeFor(options(db, store));
  const text = files.get('compose.yaml')!;
  const doc = parse(text);

  test('the app (built here), its services, and nginx in front: healthy before they are needed, only nginx published', () => {
    expect(Object.keys(doc.services)).toEqual(['app', ...c.services.map((s) => s.name), 'nginx']);
    const app = doc.services.app;
    expect(app.build).toBe('.');
    expect(app.deploy.replicas).toBe(c.replicas);
    expect(app.env_file).toBe('.env');
    expect(app.environment).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0', PORT: '3000', MIGRATE_ON_START: 'true' });
    expect(app.environment.DATABASE_URL).toBe(c.databaseUrl);
    expect(app.environment.REDIS_URL).toBe(store === 'redis' ? 'redis://redis:6379' : undefined);
    expect(app.healthcheck.test.join(' ')).toContain('/livez');
    expect(app.depends_on ?? {}).toEqual(Object.fromEntries(c.services.map((s) => [s.name, { condition: 'service_healthy' }])));
    for (const s of c.services) expect(doc.services[s.name].healthcheck.test.join(' ')).toBe(parse(s.healthcheck).join(' '));
    expect(doc.services.nginx.depends_on).toEqual({ app: { condition: 'service_healthy' } });
    expect(Object.entries(doc.services).filter(([, s]) => (s as { ports?: string[] }).ports)).toEqual([
      ['nginx', expect.objectContaining({ ports: ['${HTTP_PORT:-80}:80', '${HTTPS_PORT:-443}:443'] })],
    ]);
    expect(Object.keys(doc.volumes)).toEqual(c.volumes);
    // the uploads volume is the app's UPLOAD_DIR and nginx's /media/ alike
    expect(app.volumes).toContain('uploads:/app/uploads');
    expect(doc.services.nginx.volumes).toContain('uploads:/srv/demo/uploads:ro');
  });

  test("the app trusts X-Forwarded-For from the compose network's own subnet, which compose.yaml names", () => {
    const subnet = `\${COMPOSE_SUBNET:-${c.subnet}}`;
    expect(doc.networks.default.ipam.config).toEqual([{ subnet }]);
    expect(doc.services.app.environment.TRUSTED_PROXIES).toBe(subnet);
  });

  test('.env.example leaves the password blank; .env gets a fresh one; no secret is in compose.yaml', () => {
    const example = files.get('.env.example')!;
    for (const name of c.secrets) expect(example).toMatch(new RegExp(`^${name}=$`, 'm'));
    const env = withSecrets(files).get('.env')!.contents;
    const passwords = c.secrets.map((name) => env.match(new RegExp(`^${name}=(.*)$`, 'm'))![1]);
    for (const p of passwords) expect(p).toMatch(/^[0-9a-f]{48}$/);
    expect(withSecrets(files).get('.env')!.contents).not.toBe(env);
    // every variable compose.yaml insists on (`${X:?…}`) is one .env has
    const required = [...new Set([...text.matchAll(/\$\{([A-Z_]+):\?/g)].map((m) => m[1]))];
    expect(required.sort()).toEqual([...c.secrets].sort());
    for (const name of required) expect(env).toMatch(new RegExp(`^${name}=\\S+$`, 'm'));
    expect(text).not.toMatch(/PASSWORD: '?[^$']/);
  });

  test("nginx-start.sh's patterns find the site's upstream and its loopback servers", () => {
    const site = files.get('deploy/nginx/sites/app.conf')!;
    const script = files.get('deploy/compose/nginx-start.sh')!;
    expect(script).toContain("'s/^upstream demo_app {$/&\\n    server app:3000 max_fails=3 fail_timeout=10s;/'");
    expect(site).toMatch(/^upstream demo_app \{$/m);
    const loopback = site.split('\n').filter((l) => /^ {4}server 127\.0\.0\.1:[0-9]* /.test(l));
    expect(loopback).toHaveLength(options(db, store).instances);
    expect(site).toMatch(/^ {8}alias \.\.\/\.\.\/uploads\/;/m); // nginx-start.sh puts the uploads volume there
  });
});

test('a 微信云托管 project has no compose.yaml (the platform runs the image) and no compose password', () => {
  const files = render(options('mysql', 'redis', { target: 'cloudrun' }), templates);
  expect(files.has('compose.yaml')).toBe(false);
  expect(files.has('deploy/compose/nginx-start.sh')).toBe(false);
  expect(files.get('.env.example')).not.toMatch(/^MYSQL_ROOT_PASSWORD=/m);
});
