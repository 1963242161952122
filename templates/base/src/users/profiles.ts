import type { PrismaClient, User } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, httpError } from '../platform/errors';
import type { ContentSecurity } from '../wechat/content-security';
import { isUserId } from './user-id';

/** The profile (头像昵称填写): the nickname through WeChat's content check, and what others see of a user. */
export class Profiles {
  constructor(private readonly d: { prisma: PrismaClient; content: ContentSecurity }) {}

  /**
   * msgSecCheck decides: risky → 422 CONTENT_REJECTED and nothing stored; review → stored as pending (its
   * owner sees it, others do not); pass → stored.
   */
  async setNickname(user: User, nickname: string): Promise<User> {
    const suggest = await this.d.content.checkText(user.openid, nickname);
    if (suggest === 'risky') throw httpError(422, 'CONTENT_REJECTED', "WeChat's content check rejected this nickname; choose another.");
    const data = suggest === 'pass' ? { nickname, nicknamePending: null } : { nicknamePending: nickname };
    return this.d.prisma.user.update({ where: { id: user.id }, data }).catch(failsAs(databaseUnavailable));
  }

  /** The user with this id (as the path gave it), or 404 USER_NOT_FOUND (also for text that is no user id). */
  async find(id: string): Promise<User> {
    const notFound = () => httpError(404, 'USER_NOT_FOUND', 'No such user: a user id is a UUID from this API.');
    if (!isUserId(id)) throw notFound();
    const user = await this.d.prisma.user.findUnique({ where: { id } }).catch(failsAs(databaseUnavailable));
    if (!user) throw notFound();
    return user;
  }
}
