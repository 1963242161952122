/**
 * rate-limiter-flexible's index loads every limiter it has (MongoDB, MySQL, DynamoDB, etcd, Valkey…):
 * ~40 ms of each start, on the way to the first login. The app imports the few it uses from their own
 * files instead; these give those files the package's own types.
 */
declare module 'rate-limiter-flexible/lib/RateLimiterMemory' {
  import { RateLimiterMemory } from 'rate-limiter-flexible';
  export = RateLimiterMemory;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRedis' {
  import { RateLimiterRedis } from 'rate-limiter-flexible';
  export = RateLimiterRedis;
}
declare module 'rate-limiter-flexible/lib/RateLimiterRes' {
  import { RateLimiterRes } from 'rate-limiter-flexible';
  export = RateLimiterRes;
}
