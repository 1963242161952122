import type Koa from 'koa';
import type { AuthState } from './auth/state';
import { gatewayIdentity } from './cloudrun/gateway-identity';
import type { Config } from './config';
import type { PrismaClient } from './generated/prisma/client';

/** What the platform adds to the app. */
export interface Platform {
  /** Runs after the token middleware; may set ctx.state.jwtUser from the platform's own proof. */
  identity?: Koa.Middleware<AuthState>;
}

/** 微信云托管: the gateway names the caller of wx.cloud.callContainer (see cloudrun/gateway-identity.ts). */
export function platform(config: Config, prisma: PrismaClient): Platform {
  return { identity: gatewayIdentity({ appid: config.wxAppid, prisma }) };
}
