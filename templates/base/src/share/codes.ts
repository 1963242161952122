import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, failure, httpError } from '../platform/errors';
import type { Logger } from '../platform/log';
import { imageType } from '../media/image-type';
import type { MediaStorage } from '../media/storage';
import type { WechatClient } from '../wechat/client';
import { badResponse, errcodeOf } from '../wechat/errors';
import { ENV_VERSION, type MiniprogramState } from '../wechat/miniprogram-state';
import { checkShareLimit } from './limits';
import { SCENE, checkTarget, mintScene, targetKey, type ShareParams } from './scene';

export interface ShareCodesOptions {
  prisma: PrismaClient;
  wechat: WechatClient;
  storage: MediaStorage;
  miniprogramState: MiniprogramState;
  /** New codes and links per user a day (SHARE_DAILY_LIMIT). */
  perDay: number;
  log: Logger;
  now?: () => Date;
}

export interface ShareCode {
  scene: string;
  page: string;
  params: ShareParams;
  /** The code's image, served from media storage. */
  imageUrl: string;
}

/**
 * Mini Program codes (小程序码, getwxacodeunlimit): a short random `scene` stands for a page and its
 * parameters; one code per page + parameters, its image fetched once and served from storage.
 */
export class ShareCodes {
  constructor(private readonly o: ShareCodesOptions) {}

  /** The code for `page` + `params`: the stored one, or a new one made by WeChat. */
  async create(userId: string, page: unknown, params: unknown): Promise<ShareCode> {
    const target = checkTarget(page, params);
    const key = targetKey('code', target.page, target.params);
    const existing = await this.o.prisma.shareCode.findUnique({ where: { targetKey: key } }).catch(failsAs(databaseUnavailable));
    if (existing) return this.view(existing);
    await checkShareLimit(this.o.prisma, userId, this.o.perDay, this.now());

    const scene = mintScene();
    const bytes = await this.fetchImage(scene, target.page);
    const ext = imageType(bytes);
    if (ext !== 'png' && ext !== 'jpg') throw badResponse(); // never store what is not an image
    const name = await this.o.storage.put(bytes, ext);
    try {
      const row = await this.o.prisma.shareCode.create({
        data: { scene, targetKey: key, page: target.page, params: JSON.stringify(target.params), creatorId: userId, imageName: name },
      });
      return this.view(row);
    } catch (err) {
      await this.o.storage
        .delete(name)
        .catch((e: unknown) => this.o.log.error({ err: e, file: name }, 'share: could not delete an unused code'));
      // the same target minted at the same moment by another request: that one stands
      const winner = await this.o.prisma.shareCode.findUnique({ where: { targetKey: key } }).catch(failsAs(databaseUnavailable));
      if (winner) return this.view(winner);
      throw failure(databaseUnavailable, err);
    }
  }

  /** What a scene stands for; unknown or malformed scenes are a 404. */
  async resolve(scene: string): Promise<ShareCode> {
    const row = SCENE.test(scene)
      ? await this.o.prisma.shareCode.findUnique({ where: { scene } }).catch(failsAs(databaseUnavailable))
      : null;
    if (!row) throw httpError(404, 'SCENE_NOT_FOUND', 'No share code has this scene.');
    return this.view(row);
  }

  private async fetchImage(scene: string, page: string): Promise<Buffer> {
    const formal = this.o.miniprogramState === 'formal';
    try {
      return await this.o.wechat.postForImage('/wxa/getwxacodeunlimit', {
        scene,
        page,
        // WeChat can check the page only against the released version
        check_path: formal,
        env_version: ENV_VERSION[this.o.miniprogramState],
        width: 430,
      });
    } catch (err) {
      const errcode = errcodeOf(err);
      if (errcode === 41030)
        throw httpError(
          400,
          'INVALID_PAGE',
          `WeChat has no page ${page} in the ${formal ? 'released' : 'chosen'} version of the Mini Program.`,
        );
      if (errcode === 45009) throw httpError(429, 'WECHAT_RATE_LIMITED', 'WeChat makes at most 5,000 codes a minute; retry shortly.');
      throw err;
    }
  }

  private now(): Date {
    return this.o.now?.() ?? new Date();
  }

  private view(row: { scene: string; page: string; params: string; imageName: string }): ShareCode {
    return { scene: row.scene, page: row.page, params: JSON.parse(row.params) as ShareParams, imageUrl: this.o.storage.url(row.imageName) };
  }
}
