import type { Middleware } from 'koa';
import type { AuthState } from './auth/state';
import { gatewayIdentity } from './cloudrun/gateway-identity';
import type { PrismaClient } from './generated/prisma/client';

/**
 * What the host adds to the app: on 微信云托管, the gateway names the caller of wx.cloud.callContainer
 * (src/cloudrun/gateway-identity.ts), after the token middleware.
 */
export function hostIdentity(o: { appid: string; prisma: PrismaClient }): Middleware<AuthState> | undefined {
  return gatewayIdentity(o);
}
