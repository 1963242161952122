import type { PrismaClient, User } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs, failure, httpError } from '../platform/errors';
import type { PhoneInfo, WechatClient } from '../wechat/client';
import { errcodeOf, wechatError } from '../wechat/errors';

export interface PhoneOptions {
  prisma: PrismaClient;
  wechat: WechatClient;
  /** A number WeChat verified this many days ago or less is returned again without asking (0: always ask). */
  reverifyDays: number;
  /** Calls to WeChat's phone API per user per day (China's day: WeChat's quotas reset at midnight there). */
  dailyLimit: number;
  now?: () => number;
}

export interface PhoneResult extends PhoneInfo {
  fromWechat: boolean;
  user: User;
}

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The phone number from a getPhoneNumber code, guarded: each answer WeChat gives is billed, so a number
 * verified recently is not bought again, and one user cannot spend the quota (PHONE_DAILY_LIMIT a day).
 */
export class PhoneNumbers {
  private readonly now: () => number;

  constructor(private readonly o: PhoneOptions) {
    this.now = o.now ?? Date.now;
  }

  async verify(user: User, code: string, refresh = false): Promise<PhoneResult> {
    const fresh = user.phoneVerifiedAt && this.now() - user.phoneVerifiedAt.getTime() < this.o.reverifyDays * DAY_MS;
    if (!refresh && user.phone && fresh) {
      return {
        phoneNumber: user.phone,
        purePhoneNumber: user.phonePure ?? user.phone,
        countryCode: user.phoneCountryCode ?? '',
        fromWechat: false,
        user,
      };
    }
    if (!(await this.countCall(user.id))) {
      throw httpError(429, 'PHONE_DAILY_LIMIT', `At most ${this.o.dailyLimit} phone number checks a day; try again tomorrow.`);
    }
    // With the openid, WeChat refuses a code that was issued to someone else.
    const info = await this.o.wechat.phoneNumber(code, user.openid).catch((err: unknown) => {
      // the shared errcode table says wx.login(); this code comes from the getPhoneNumber button
      if ((err as { code?: unknown }).code !== 'INVALID_CODE') throw err;
      throw wechatError(
        400,
        'INVALID_CODE',
        `WeChat refused the phone code (${errcodeOf(err)}): it is single-use and valid 5 minutes; tap the getPhoneNumber button again for a new one.`,
        errcodeOf(err),
      );
    });
    const updated = await this.o.prisma.user
      .update({
        where: { id: user.id },
        data: {
          phone: info.phoneNumber,
          phonePure: info.purePhoneNumber,
          phoneCountryCode: info.countryCode,
          phoneVerifiedAt: new Date(this.now()),
        },
      })
      .catch(failsAs(databaseUnavailable));
    return { ...info, fromWechat: true, user: updated };
  }

  /**
   * Counts one call for today, atomically (several instances, concurrent requests): false when the
   * user already made `dailyLimit` today. Each statement is one conditional UPDATE.
   */
  private async countCall(userId: string): Promise<boolean> {
    const today = new Date(this.now() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
    const { prisma, dailyLimit } = this.o;
    const increment = () =>
      prisma.user.updateMany({
        where: { id: userId, phoneLookupDay: today, phoneLookups: { lt: dailyLimit } },
        data: { phoneLookups: { increment: 1 } },
      });
    try {
      if ((await increment()).count === 1) return true;
      const firstToday = await prisma.user.updateMany({
        where: { id: userId, OR: [{ phoneLookupDay: null }, { phoneLookupDay: { not: today } }] },
        data: { phoneLookupDay: today, phoneLookups: 1 },
      });
      if (firstToday.count === 1) return true;
      return (await increment()).count === 1; // another request started the day meanwhile
    } catch (err) {
      throw failure(databaseUnavailable, err);
    }
  }
}
