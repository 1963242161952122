import { BlockList, isIP } from 'node:net';
import type { Context, Next } from 'koa';

/** One TRUSTED_PROXIES entry: an address, or a range in CIDR form. */
interface Range {
  address: string;
  prefix: number;
  type: 'ipv4' | 'ipv6';
}

function parseRange(entry: string): Range | null {
  const [address, bits, extra] = entry.split('/');
  const version = isIP(address);
  if (!version || extra !== undefined) return null;
  const max = version === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : /^\d{1,3}$/.test(bits) ? Number(bits) : NaN;
  // a range wider than /8 (IPv4) or /32 (IPv6), 0.0.0.0/0 above all, would believe any client's X-Forwarded-For
  const min = version === 4 ? 8 : 32;
  return prefix >= min && prefix <= max ? { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' } : null;
}

/** TRUSTED_PROXIES as a list ("10.88.0.0/16, 172.18.0.5"), or null when an entry is not an address or a narrow enough range. */
export function proxyList(text: string): string[] | null {
  const entries = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return entries.every((e) => parseRange(e)) ? entries : null;
}

/** nginx on this machine, always; plus the given addresses or ranges (a compose network, an engine's gateway). */
export function trustedProxies(extra: readonly string[] = []): BlockList {
  const list = new BlockList();
  list.addSubnet('127.0.0.0', 8, 'ipv4');
  list.addAddress('::1', 'ipv6');
  for (const r of extra.map(parseRange)) if (r) list.addSubnet(r.address, r.prefix, r.type);
  return list;
}

function isTrusted(list: BlockList, remote: string): boolean {
  const v4 = remote.startsWith('::ffff:') && isIP(remote.slice(7)) === 4 ? remote.slice(7) : null;
  if (v4) return list.check(v4, 'ipv4');
  const version = isIP(remote);
  return version !== 0 && list.check(remote, version === 4 ? 'ipv4' : 'ipv6');
}

/** Peer addresses remembered per list: forgotten all at once past this many (clients met directly). */
const MEMO_MAX = 1024;

/**
 * Forwarded headers are believed from the proxies in front only (nginx on this host, and TRUSTED_PROXIES).
 * A client that reaches the app directly (a port opened by mistake, a published container port) cannot
 * choose its ctx.ip (the login rate limit counts by it) or ctx.protocol, and nobody sets ctx.host (nginx
 * clears X-Forwarded-Host too).
 *
 * The answer per peer address is remembered: BlockList.check() builds a SocketAddress on each call (about
 * 2 µs a request), while behind nginx every request comes from the same address or two.
 */
export function forwardedFromProxies(trusted: BlockList = trustedProxies()) {
  const memo = new Map<string, boolean>();
  return function forwardedFromProxyOnly(ctx: Context, next: Next) {
    const headers = ctx.req.headers;
    if (headers['x-forwarded-host'] !== undefined) delete headers['x-forwarded-host'];
    const remote = ctx.req.socket.remoteAddress ?? '';
    let believed = memo.get(remote);
    if (believed === undefined) {
      if (memo.size >= MEMO_MAX) memo.clear();
      believed = isTrusted(trusted, remote);
      memo.set(remote, believed);
    }
    if (!believed) {
      delete headers['x-forwarded-for'];
      delete headers['x-forwarded-proto'];
    }
    return next();
  };
}

/** The default: nginx on this machine only. */
export const forwardedFromProxyOnly = forwardedFromProxies();
