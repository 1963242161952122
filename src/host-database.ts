import type { Options } from './options';

/**
 * How a container reaches a database server on its own host (the READMEs' `docker run` notes), as data so
 * that the template only prints it: null for SQLite, whose file lives in the container's volume.
 */
export interface HostDatabase {
  label: string;
  url: string;
  /** The server settings that make it listen on the container bridge's gateway. */
  listen: string;
  listenZh: string;
}

export function hostDatabase(o: Pick<Options, 'db'>): HostDatabase | null {
  switch (o.db) {
    case 'sqlite':
      return null;
    case 'postgresql':
      return {
        label: 'PostgreSQL',
        url: 'postgresql://<user>:<password>@host.docker.internal:5432/<database>',
        listen: "`listen_addresses` and a `pg_hba.conf` line for the bridge's subnet",
        listenZh: '`listen_addresses`，以及 `pg_hba.conf` 中允许网桥网段的一行',
      };
    case 'mysql':
      return {
        label: 'MySQL',
        url: 'mysql://<user>:<password>@host.docker.internal:3306/<database>',
        listen: '`bind-address`',
        listenZh: '`bind-address`',
      };
  }
}

/** The READMEs' one-off migration in a container: with SQLite, on the app's own volume and file. */
export function containerMigrate(o: Pick<Options, 'db' | 'projectName'>): string {
  const sqlite = o.db === 'sqlite' ? `-e DATABASE_URL=file:/data/app.db -v ${o.projectName}-data:/data ` : '';
  return `docker run --rm --env-file .env ${sqlite}${o.projectName} node dist/migrate/cli.js`;
}
