import type { PrismaClient } from '../generated/prisma/client';
import { databaseUnavailable } from '../platform/database-problems';
import { failsAs } from '../platform/errors';
import type { Logger } from '../platform/log';
import type { WechatClient } from '../wechat/client';
import type { MiniprogramState } from '../wechat/miniprogram-state';
import { errcodeOf, type WechatError } from '../wechat/errors';
import { SubscribeCredits } from './credits';
import { TEMPLATES, TEMPLATE_KEYS, type TemplateData, type TemplateIds, type TemplateKey } from './templates';
import { checkValue, fieldType } from './values';

/** What `notify` did. Only a WeChat outage (after giving the credit back) or a database failure (503) throws. */
export type NotifyResult =
  | { sent: true }
  /** The template has no id in this deployment's settings. */
  | { sent: false; reason: 'not-configured' }
  /** The user has not accepted this template, or each acceptance was used. */
  | { sent: false; reason: 'no-credit' }
  /** WeChat answered 43101: the user refused or cancelled; their credits for it are forgotten. */
  | { sent: false; reason: 'refused' }
  | { sent: false; reason: 'no-user' }
  /** A value breaks WeChat's rule for its field; nothing was sent and no credit was used. */
  | { sent: false; reason: 'invalid-value'; field: string; message: string };

export interface SubscriptionsOptions {
  prisma: PrismaClient;
  wechat: WechatClient;
  templateIds: TemplateIds;
  miniprogramState: MiniprogramState;
  log: Logger;
}

/** Subscribe messages (订阅消息): consent recorded as send credits, and messages sent against them. */
export class Subscriptions {
  readonly credits: SubscribeCredits;

  constructor(private readonly o: SubscriptionsOptions) {
    this.credits = new SubscribeCredits(o.prisma);
  }

  /** The configured templates by key (for `wx.requestSubscribeMessage({ tmplIds })`) and the user's credits. */
  async overview(userId: string): Promise<{ templates: TemplateIds; credits: Partial<Record<TemplateKey, number>> }> {
    const templates = { ...this.o.templateIds };
    const credits: Partial<Record<TemplateKey, number>> = {};
    for (const key of TEMPLATE_KEYS) {
      const id = templates[key];
      if (id) credits[key] = await this.credits.count(userId, id);
    }
    return { templates, credits };
  }

  /**
   * Records what `wx.requestSubscribeMessage` answered (`{ [templateId]: 'accept' | 'reject' | 'ban' |
   * 'filter' }`): each accept of a template of ours is one more send. Unknown ids are ignored.
   */
  async record(
    userId: string,
    answer: Record<string, unknown>,
  ): Promise<{ accepted: TemplateKey[]; credits: Partial<Record<TemplateKey, number>> }> {
    const accepted: TemplateKey[] = [];
    const credits: Partial<Record<TemplateKey, number>> = {};
    for (const key of TEMPLATE_KEYS) {
      const id = this.o.templateIds[key];
      if (!id || !Object.hasOwn(answer, id)) continue;
      if (answer[id] === 'accept') {
        await this.credits.add(userId, id);
        accepted.push(key);
      }
      credits[key] = await this.credits.count(userId, id);
    }
    return { accepted, credits };
  }

  /**
   * Sends `key`'s message to the user, if they granted it: checks every value against its field's rule
   * first, uses one credit (atomically: two sends with one credit send once), and on WeChat's 43101
   * forgets the user's credits for the template.
   */
  async notify<K extends TemplateKey>(userId: string, key: K, data: TemplateData<K>, o: { page?: string } = {}): Promise<NotifyResult> {
    const templateId = this.o.templateIds[key];
    if (!templateId) return { sent: false, reason: 'not-configured' };
    const invalid = invalidField(key, data as Record<string, string>);
    if (invalid) return { sent: false, reason: 'invalid-value', ...invalid };
    const user = await this.o.prisma.user
      .findUnique({ where: { id: userId }, select: { openid: true } })
      .catch(failsAs(databaseUnavailable));
    if (!user) return { sent: false, reason: 'no-user' };
    if (!(await this.credits.take(userId, templateId))) return { sent: false, reason: 'no-credit' };
    try {
      await this.o.wechat.post('/cgi-bin/message/subscribe/send', {
        touser: user.openid,
        template_id: templateId,
        page: o.page ?? TEMPLATES[key].page,
        miniprogram_state: this.o.miniprogramState,
        lang: 'zh_CN',
        data: Object.fromEntries(Object.entries(data).map(([field, value]) => [field, { value }])),
      });
      return { sent: true };
    } catch (err) {
      const errcode = errcodeOf(err);
      if (errcode === 43101) {
        await this.credits.forget(userId, templateId);
        return { sent: false, reason: 'refused' };
      }
      // WeChat did not deliver it, so the user's consent is still unused
      await this.credits.giveBack(userId, templateId);
      if (errcode === 47003) {
        const field = /data\.(\w+)\.value/.exec(String((err as WechatError).errmsg ?? ''))?.[1] ?? 'data';
        this.o.log.error({ template: key, field }, 'subscribe message: WeChat refused a value (47003) that passed our checks');
        return { sent: false, reason: 'invalid-value', field, message: `${field}: WeChat refused the value (47003)` };
      }
      throw err;
    }
  }
}

/** The first field whose value WeChat would refuse, with a message naming it. */
export function invalidField(key: TemplateKey, data: Record<string, unknown>): { field: string; message: string } | null {
  const fields: readonly string[] = TEMPLATES[key].fields;
  for (const field of fields) {
    const value = data[field];
    const type = fieldType(field);
    if (!type) return { field, message: `${key}.${field}: not a WeChat field name (thing1, time3…)` };
    if (typeof value !== 'string') return { field, message: `${key}.${field}: missing` };
    const problem = checkValue(type, value);
    if (problem) return { field, message: `${key}.${field} (${type}) ${problem}: ${JSON.stringify(value)}` };
  }
  const extra = Object.keys(data).find((f) => !fields.includes(f));
  return extra ? { field: extra, message: `${key}.${extra}: not a field of this template` } : null;
}
