const MAX = 64;

/**
 * A short hint of the device from a login's User-Agent, for the user's list of sessions: never the whole
 * header. WeChat's is e.g. `Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) … MicroMessenger/8.0.40…`
 * → `iPhone OS 17_0, WeChat 8.0.40`, or `(Linux; Android 13; V2148A Build/…; wv)` → `Android 13; V2148A`.
 * Printable ASCII only, at most 64 characters; null when there is nothing to show.
 */
export function deviceHint(userAgent: string | undefined): string | null {
  if (!userAgent) return null;
  const platform = /\(([^)]*)\)/
    .exec(userAgent)?.[1]
    .split(';')
    .map((part) =>
      part
        .trim()
        .replace(/\s*Build\/.*$/, '')
        .replace(/^CPU /, '')
        .replace(/ like Mac OS X$/, ''),
    )
    .filter((part) => part && !/^(Linux|U|wv|iPhone|x86_64)$/i.test(part))
    .slice(0, 2)
    .join('; ');
  const wechat = /MicroMessenger\/(\d+(?:\.\d+){0,2})/.exec(userAgent)?.[1];
  const hint = [platform, wechat && `WeChat ${wechat}`].filter(Boolean).join(', ') || userAgent.split(' ')[0];
  const clean = hint
    .replace(/[^\x20-\x7e]/g, '')
    .trim()
    .slice(0, MAX);
  return clean || null;
}
