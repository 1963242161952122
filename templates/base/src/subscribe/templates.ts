import type { FieldType } from './values';

/** A template field as WeChat names it: its type and a number (`thing1`, `time3`); the type is its rule. */
export type FieldName = `${FieldType}${number}`;

/** A subscribe message template: where its id comes from, the page it opens, and its fields. */
export interface TemplateDeclaration {
  /** The setting that holds the template id from mp.weixin.qq.com (订阅消息 → 我的模板). */
  env: `WX_TEMPLATE_${string}`;
  /** The page a tap on the message opens (no leading /). */
  page: string;
  /** The template's fields, exactly as the console lists them (`thing1.DATA` → `thing1`). */
  fields: readonly FieldName[];
  /** What the message says, for the README and the settings table. */
  description: string;
}

/**
 * Every subscribe message this app sends, declared once. To add one: pick a template in the console,
 * add it here with its fields, set its id in the environment, then call `notify(userId, key, data)`.
 * The client asks for consent by key (`subscribe(['reviewResult'])`), and `data` is typed by `fields`.
 */
export const TEMPLATES = {
  /** The avatar or nickname review verdict (审核结果通知): e.g. 审核结果 phrase1, 审核内容 thing2, 审核时间 time3. */
  reviewResult: {
    env: 'WX_TEMPLATE_REVIEW_RESULT',
    page: 'pages/profile/profile',
    fields: ['phrase1', 'thing2', 'time3'],
    description: 'the review verdict on a new avatar or nickname',
  },
} as const satisfies Record<string, TemplateDeclaration>;

export type TemplateKey = keyof typeof TEMPLATES;
/** The values a template takes: one string per field. */
export type TemplateData<K extends TemplateKey> = Record<(typeof TEMPLATES)[K]['fields'][number], string>;
export const TEMPLATE_KEYS = Object.keys(TEMPLATES) as TemplateKey[];

/** The template ids this deployment has (settings); a template without one is off: `notify` says so. */
export type TemplateIds = Partial<Record<TemplateKey, string>>;

/** The template ids from the environment, by key. */
export function templateIdsFrom(env: Partial<Record<string, unknown>>): TemplateIds {
  const ids: TemplateIds = {};
  for (const key of TEMPLATE_KEYS) {
    const id = env[TEMPLATES[key].env];
    if (typeof id === 'string' && id.trim()) ids[key] = id.trim();
  }
  return ids;
}
