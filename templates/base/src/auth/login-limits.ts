// from their own files: the package's index loads every limiter it has (src/types/rate-limiter-flexible.d.ts)
import RateLimiterMemory from 'rate-limiter-flexible/lib/RateLimiterMemory';
import RateLimiterRes from 'rate-limiter-flexible/lib/RateLimiterRes';
import { httpError } from '../platform/errors';

/** One counter per key, reset every `duration` seconds (rate-limiter-flexible's limiters fit it). */
export interface Limiter {
  consume(key: string): Promise<unknown>;
  delete(key: string): Promise<boolean>;
}

export interface LimiterOptions {
  /** Names the limiter's counters; must differ between limiters. */
  keyPrefix: string;
  points: number;
  duration: number;
}

/** Makes a limiter; the store overlay decides where its counters live. */
export type LimiterFactory = (o: LimiterOptions) => Limiter;

/** Counters in this process: each instance counts on its own. */
export const memoryLimiter: LimiterFactory = (o) => new RateLimiterMemory(o);

export interface LoginLimitSettings {
  /** Logins per window from one client IP (LOGIN_RATE_PER_IP). */
  perIp: number;
  /** Logins per window of one WeChat user (LOGIN_RATE_PER_OPENID). */
  perOpenid: number;
  /** The window, seconds (LOGIN_RATE_WINDOW_S). */
  windowSeconds: number;
}

/**
 * The app's own login rate limits, behind nginx's (which a client reaching the app directly, or through
 * another proxy, never meets).
 *
 * Per client IP, checked before anything else: a flood of logins from one address costs at most
 * `perIp` calls to WeChat's jscode2session per window. Behind a carrier NAT many users share one IP, so
 * keep it well above what one person does.
 *
 * Per openid, checked after jscode2session (only WeChat's answer says who the user is). It cannot save
 * that call or the code (both are spent by then), nor stop logins spread over many accounts and IPs.
 * What it does stop: one account (a script replaying a user's fresh codes) churning sessions, which
 * evicts that user's other devices (SESSIONS_PER_USER) and writes to the store on every try. Its
 * default stays far below WeChat's own limit of 100 jscode2session calls a minute per user.
 */
export class LoginLimits {
  private readonly ip: Limiter;
  private readonly openid: Limiter;

  constructor(factory: LimiterFactory, s: LoginLimitSettings) {
    this.ip = factory({ keyPrefix: 'wx:rl:login:ip', points: s.perIp, duration: s.windowSeconds });
    this.openid = factory({ keyPrefix: 'wx:rl:login:openid', points: s.perOpenid, duration: s.windowSeconds });
  }

  /** 429 once this IP used up its logins for the window. */
  checkIp(ip: string): Promise<void> {
    return take(this.ip, ip, 'from this address');
  }

  /** 429 once this WeChat user used up its logins for the window. */
  checkOpenid(openid: string): Promise<void> {
    return take(this.openid, openid, 'for this account');
  }
}

async function take(limiter: Limiter, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) {
      throw httpError(503, 'RATE_LIMIT_UNAVAILABLE', 'Logins cannot be counted right now; retry shortly.');
    }
    const seconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
    throw httpError(429, 'TOO_MANY_REQUESTS', `Too many logins ${what}; retry in ${seconds} s.`, {
      headers: { 'Retry-After': String(seconds) },
    });
  }
}
