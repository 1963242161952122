import type { Middleware } from 'koa';
import type { AuthState } from '../auth/state';
import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs } from '../platform/errors';
import { upsertUser } from '../users/users';

/** openid and unionid as WeChat makes them; anything else is not the gateway's. */
const WX_ID = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * 微信云托管's gateway adds X-WX-SOURCE, X-WX-APPID, X-WX-OPENID (and X-WX-UNIONID when it holds) to every
 * wx.cloud.callContainer call; their case may change (Node lower-cases header names). A request the
 * token middleware left anonymous is taken as that user (found, or created on first sight) only when
 * X-WX-SOURCE is present and X-WX-APPID is this Mini Program's: the same ctx.state.jwtUser a token gives,
 * so the same guards apply. The session stays empty: no login, no session_key (decrypting needs a token
 * login). The headers prove nothing on a path the gateway does not guard: 公网访问 must be off.
 */
export function gatewayIdentity(o: { appid: string; prisma: PrismaClient }): Middleware<AuthState> {
  return async function gatewayIdentity(ctx, next) {
    if (ctx.state.jwtUser || !ctx.get('x-wx-source')) return next();
    const openid = ctx.get('x-wx-openid');
    const unionid = ctx.get('x-wx-unionid');
    if (ctx.get('x-wx-appid') !== o.appid || !WX_ID.test(openid) || (unionid !== '' && !WX_ID.test(unionid))) return next();
    const found = await upsertUser(o.prisma, { openid, ...(unionid ? { unionid } : {}) }).catch(failsAs(databaseUnavailable));
    ctx.state.jwtUser = found.user;
    return next();
  };
}
