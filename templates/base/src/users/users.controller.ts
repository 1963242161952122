import type { PrismaClient, User } from '../generated/prisma/client';
import type { JwtAuth } from '../auth/jwt-auth';
import type { AppContext } from '../auth/state';
import { parseBody } from '../platform/body';
import { databaseUnavailable, httpError } from '../platform/errors';
import type { Avatars } from '../media/avatars';
import { readOneFile } from '../media/multipart';
import { ProfileBody } from '../schemas';
import { otherUser, publicUser } from './users';
import type { ContentSecurity } from '../wechat/content-security';

export interface UsersControllerDeps {
  auth: JwtAuth;
  prisma: PrismaClient;
  content: ContentSecurity;
  avatars: Avatars;
}

/** wx.uploadFile's limit is the client's; ours: 2 MB, as WeChat's own image check accepts. */
export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;

/** The profile (头像昵称填写): nickname and avatar, each through WeChat's content check, and what others see. */
export class UsersController {
  constructor(private readonly d: UsersControllerDeps) {}

  /**
   * PATCH /api/users/me {nickname} → {user}. msgSecCheck decides: risky → 422 CONTENT_REJECTED and
   * nothing stored; review → stored as pending (its owner sees it, others do not); pass → stored.
   */
  async update(ctx: AppContext): Promise<void> {
    const { nickname } = parseBody(ctx, ProfileBody);
    const user = ctx.state.jwtUser!;
    const suggest = await this.d.content.checkText(user.openid, nickname);
    if (suggest === 'risky') throw httpError(422, 'CONTENT_REJECTED', "WeChat's content check rejected this nickname; choose another.");
    const data = suggest === 'pass' ? { nickname, nicknamePending: null } : { nicknamePending: nickname };
    const updated = await this.d.prisma.user.update({ where: { id: user.id }, data }).catch(() => {
      throw databaseUnavailable();
    });
    this.answer(ctx, updated);
  }

  /** POST /api/users/me/avatar (multipart/form-data, file field `avatar`) → {user}, the new avatar pending. */
  async avatar(ctx: AppContext): Promise<void> {
    const bytes = await readOneFile(ctx.req, 'avatar', AVATAR_MAX_BYTES);
    this.answer(ctx, await this.d.avatars.upload(ctx.state.jwtUser!, bytes));
  }

  /** GET /api/users/:id → {user} as other users see it: cleared nickname and avatar only. */
  async show(ctx: AppContext): Promise<void> {
    const id = String(ctx.params.id);
    const notFound = () => httpError(404, 'USER_NOT_FOUND', 'No such user.');
    if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647) throw notFound();
    const user = await this.d.prisma.user.findUnique({ where: { id: Number(id) } }).catch(() => {
      throw databaseUnavailable();
    });
    if (!user) throw notFound();
    ctx.body = { user: otherUser(user) };
  }

  private answer(ctx: AppContext, user: User): void {
    this.d.auth.forget(ctx.state.jwtSession.id); // the cached session still holds the old user
    ctx.state.jwtUser = user;
    ctx.body = { user: publicUser(user) };
  }
}
