import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { badRequest, failsAs, httpError } from '../platform/errors';
import type { WechatClient } from '../wechat/client';
import { badResponse, errcodeOf } from '../wechat/errors';
import { ENV_VERSION, type MiniprogramState } from '../wechat/miniprogram-state';
import { checkShareLimit } from './limits';
import { PAGE, targetKey } from './scene';

const DAY_MS = 24 * 3600 * 1000;
/** WeChat's cap on a URL link's life. */
export const MAX_LINK_DAYS = 30;

export interface UrlLinksOptions {
  prisma: PrismaClient;
  wechat: WechatClient;
  miniprogramState: MiniprogramState;
  /** How long a new link lives, days (SHARE_LINK_DAYS, at most 30). */
  days: number;
  perDay: number;
  now?: () => Date;
}

export interface UrlLink {
  url: string;
  expiresAt: Date;
}

/**
 * URL links (generate_urllink) that open the Mini Program from outside WeChat's chats (SMS, e-mail,
 * web). One per page + query, reused while more than a quarter of its life is left, never handed out
 * expired: WeChat's links die after at most 30 days, silently.
 */
export class UrlLinks {
  constructor(private readonly o: UrlLinksOptions) {}

  async create(userId: string, page: unknown, query: unknown = ''): Promise<UrlLink> {
    if (typeof page !== 'string' || page.length > 128 || !PAGE.test(page))
      throw badRequest('page must be a page path such as pages/item/item (no leading /, no query)', 'INVALID_PAGE');
    if (typeof query !== 'string' || query.length > 1024 || /[\s#]/.test(query))
      throw badRequest('query must be text such as a=1&b=2, at most 1024 characters', 'INVALID_QUERY');
    const key = targetKey('link', page, query);
    const now = this.now();
    const lifeMs = this.o.days * DAY_MS;
    const existing = await this.o.prisma.urlLink.findUnique({ where: { targetKey: key } }).catch(failsAs(databaseUnavailable));
    if (existing && existing.expiresAt.getTime() - now.getTime() > lifeMs / 4) return { url: existing.url, expiresAt: existing.expiresAt };
    await checkShareLimit(this.o.prisma, userId, this.o.perDay, now);

    const url = await this.generate(page, query);
    // counted from before WeChat's answer, so ours ends no later than WeChat's
    const expiresAt = new Date(now.getTime() + lifeMs);
    const data = { url, expiresAt, creatorId: userId, createdAt: now };
    await this.o.prisma.urlLink
      .upsert({ where: { targetKey: key }, create: { targetKey: key, path: page, query, ...data }, update: data })
      .catch(failsAs(databaseUnavailable));
    return { url, expiresAt };
  }

  private async generate(page: string, query: string): Promise<string> {
    try {
      const json = await this.o.wechat.post('/wxa/generate_urllink', {
        path: page,
        query,
        expire_type: 1,
        expire_interval: this.o.days,
        env_version: ENV_VERSION[this.o.miniprogramState],
      });
      if (typeof json.url_link !== 'string' || !/^https:\/\//.test(json.url_link)) throw badResponse();
      return json.url_link;
    } catch (err) {
      const errcode = errcodeOf(err);
      if (errcode === 40165) throw httpError(400, 'INVALID_PAGE', `WeChat has no page ${page} in the Mini Program.`);
      if (errcode === 40212) throw httpError(400, 'INVALID_QUERY', 'WeChat refused the query.');
      throw err;
    }
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }
}
