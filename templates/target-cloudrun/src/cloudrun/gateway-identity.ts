import type Koa from 'koa';
import type { AuthState } from '../auth/state';
import type { PrismaClient } from '../generated/prisma/client';
import { upsertUser } from '../users';

const WX_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A header's one value (Node lower-cases names, so any case the gateway sends is found). */
function header(ctx: Koa.Context, name: string): string | undefined {
  const v = ctx.get(name);
  return v === '' ? undefined : v;
}

/**
 * 微信云托管's gateway adds X-WX-SOURCE, X-WX-APPID, X-WX-OPENID (and X-WX-UNIONID) to every
 * wx.cloud.callContainer call. A request without a token is taken as that user (found, or created on
 * first sight) when X-WX-SOURCE is present and X-WX-APPID is this Mini Program's: the same
 * ctx.state.jwtUser the token middleware sets, so the same guards apply. The session is empty (there is
 * no login, so no session_key: routes that decrypt need a token login). These headers prove nothing on
 * a path the gateway does not guard: turn public network access (公网访问) off for this service.
 */
export function gatewayIdentity(o: { appid: string; prisma: PrismaClient }): Koa.Middleware<AuthState> {
  return async function gatewayIdentity(ctx, next) {
    if (ctx.state.jwtUser || header(ctx, 'x-wx-source') === undefined) return next();
    const appid = header(ctx, 'x-wx-appid');
    const openid = header(ctx, 'x-wx-openid');
    const unionid = header(ctx, 'x-wx-unionid');
    if (appid !== o.appid || !openid || !WX_ID.test(openid) || (unionid !== undefined && !WX_ID.test(unionid))) return next();
    ctx.state.jwtUser = (await upsertUser(o.prisma, { openid, ...(unionid ? { unionid } : {}) })).user;
    return next();
  };
}
