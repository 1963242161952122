/** mysql://user:pass@host:port/db → the mariadb driver's options (it reads only mariadb:// URLs). */
export function mariadbConfig(databaseUrl: string) {
  const u = new URL(databaseUrl);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.slice(1),
    connectionLimit: Number(u.searchParams.get('connection_limit') ?? 10),
    // A dead database must become a quick 503, not a request that hangs.
    connectTimeout: 3000,
    acquireTimeout: 5000,
  };
}
