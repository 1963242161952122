/** 微信云托管's MySQL settings, as its console injects them when it made the database. */
export interface CloudrunMysql {
  MYSQL_ADDRESS?: string;
  MYSQL_USERNAME?: string;
  MYSQL_PASSWORD?: string;
  MYSQL_DATABASE?: string;
}

/**
 * MYSQL_ADDRESS (host:port), MYSQL_USERNAME and MYSQL_PASSWORD (Cloud Run always sets one; a local user
 * may have none) → the mysql:// URL DATABASE_URL would hold, user and password percent-encoded; or the
 * problem to name when DATABASE_URL is not set either.
 */
export function cloudrunMysqlUrl(e: CloudrunMysql): { url?: string; problems: string[] } {
  const address = e.MYSQL_ADDRESS?.trim();
  const user = e.MYSQL_USERNAME?.trim();
  if (!address && !user) return { problems: ['DATABASE_URL is missing'] };
  if (!address || !user) {
    const missing = address ? 'MYSQL_USERNAME' : 'MYSQL_ADDRESS';
    return {
      problems: [`${missing} is missing: 微信云托管's MySQL needs MYSQL_ADDRESS, MYSQL_USERNAME and MYSQL_PASSWORD (or set DATABASE_URL)`],
    };
  }
  const password = encodeURIComponent(e.MYSQL_PASSWORD ?? '');
  const database = encodeURIComponent(e.MYSQL_DATABASE?.trim() ?? '');
  return { url: `mysql://${encodeURIComponent(user)}:${password}@${address}/${database}`, problems: [] };
}
