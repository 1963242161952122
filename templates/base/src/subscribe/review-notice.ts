import type { Logger } from '../platform/log';
import type { NotifyResult, Subscriptions } from './subscriptions';
import { wechatTime } from './values';

/** What was reviewed, in the words of the message. */
const SUBJECTS: Record<string, string> = { avatar: '头像', nickname: '昵称' };

/**
 * Tells the user WeChat's final verdict on their new avatar or nickname (the `reviewResult` template),
 * if they allowed it. `review` is not final (a person still looks), so it sends nothing. Never throws:
 * a message that cannot be sent must not undo the verdict; it is logged.
 */
export async function sendReviewResult(
  subscriptions: Subscriptions,
  log: Logger,
  check: { userId: string; purpose: string; verdict: string | null; decidedAt: Date | null },
): Promise<NotifyResult | undefined> {
  if (check.verdict !== 'pass' && check.verdict !== 'risky') return undefined;
  try {
    const result = await subscriptions.notify(check.userId, 'reviewResult', {
      phrase1: check.verdict === 'pass' ? '审核通过' : '未通过',
      thing2: `新${SUBJECTS[check.purpose] ?? '资料'}`,
      time3: wechatTime(check.decidedAt ?? new Date()),
    });
    log.info({ userId: check.userId, template: 'reviewResult', ...result }, 'subscribe message: review result');
    return result;
  } catch (err) {
    log.error({ err, userId: check.userId }, 'subscribe message: the review result could not be sent');
    return undefined;
  }
}
