/**
 * WeChat's rules for subscribe message values (订阅消息参数值内容限制), checked before sending: a value
 * WeChat refuses costs a 47003 at run time and, worse, the user's one-time consent stays unused while
 * the message is lost. Lengths count characters as people do (one per Chinese character).
 */

/** Field types, as WeChat names them: a template's field `thing1` is a `thing`. */
export const FIELD_TYPES = [
  'thing',
  'number',
  'letter',
  'symbol',
  'character_string',
  'time',
  'date',
  'amount',
  'phone_number',
  'car_number',
  'name',
  'phrase',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const HAN = /\p{Script=Han}/u;
/** ASCII punctuation: WeChat's 符号 in number-like fields. */
const SYMBOL = String.raw`!-\/:-@\[-\x60{-~`;
const DAY = String.raw`(?:\d{4}年\d{1,2}月\d{1,2}日|\d{4}-\d{1,2}-\d{1,2}|\d{4}\/\d{1,2}\/\d{1,2})`;
const CLOCK = String.raw`(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?`;
/** `15:01`, `2019年10月1日 15:01`, or two of them joined by `~` (a time span). */
const TIME = new RegExp(String.raw`^(?:${DAY} )?${CLOCK}(?:\s*~\s*(?:${DAY} )?${CLOCK})?$`);
/** `2019年10月1日`, `2019年10月1日 15:01`, or two of them joined by `~`. */
const DATE = new RegExp(String.raw`^${DAY}(?: ${CLOCK})?(?:\s*~\s*${DAY}(?: ${CLOCK})?)?$`);

const length = (v: string) => Array.from(v).length;

/** Each type's rule: what is wrong with `v`, or null when WeChat will take it. */
const RULES: Record<FieldType, (v: string) => string | null> = {
  thing: (v) => (length(v) <= 20 ? null : 'must be at most 20 characters'),
  number: (v) => (/^\d+(\.\d+)?$/.test(v) && v.length <= 32 ? null : 'must be a number of at most 32 digits (decimals allowed)'),
  letter: (v) => (/^[A-Za-z]{1,32}$/.test(v) ? null : 'must be at most 32 letters'),
  symbol: (v) => (new RegExp(`^[${SYMBOL}]{1,5}$`).test(v) ? null : 'must be at most 5 symbols'),
  character_string: (v) => (/^[\x21-\x7e]{1,32}$/.test(v) ? null : 'must be at most 32 letters, digits or symbols'),
  time: (v) => (TIME.test(v) ? null : 'must be a 24-hour time such as 15:01 or 2019年10月1日 15:01 (a span joined by ~)'),
  date: (v) => (DATE.test(v) ? null : 'must be a date such as 2019年10月1日 or 2019年10月1日 15:01 (a span joined by ~)'),
  amount: (v) => {
    const m = /^[¥￥$€£]?(\d+(?:\.\d+)?)元?$/.exec(v);
    return m && m[1].replace('.', '').length <= 10 ? null : 'must be an amount: a currency symbol and at most 10 digits, such as ¥12.50';
  },
  phone_number: (v) => (new RegExp(`^[0-9${SYMBOL}]{1,17}$`).test(v) && /\d/.test(v) ? null : 'must be at most 17 digits or symbols'),
  car_number: (v) =>
    length(v) <= 8 && /^[\p{Script=Han}A-Za-z0-9][A-Za-z0-9]*[\p{Script=Han}A-Za-z0-9]?$/u.test(v)
      ? null
      : 'must be a plate number of at most 8 characters (Chinese only first and last)',
  name: (v) => {
    if (!/^[\p{Script=Han}\p{L}\p{P}\p{S} ]+$/u.test(v) || /\d/.test(v)) return 'must be a name in Chinese characters or letters';
    return length(v) <= (HAN.test(v) ? 10 : 20) ? null : 'must be at most 10 Chinese characters or 20 letters';
  },
  phrase: (v) => (/^\p{Script=Han}{1,5}$/u.test(v) ? null : 'must be at most 5 Chinese characters'),
};

/** The type of a template field from its name, as WeChat names fields (`thing1`, `character_string12`). */
export function fieldType(field: string): FieldType | undefined {
  const prefix = /^([a-z_]+?)\d+$/.exec(field)?.[1];
  return FIELD_TYPES.find((t) => t === prefix);
}

/** What is wrong with `value` for a field of `type`, or null when it is valid. Empty values never are. */
export function checkValue(type: FieldType, value: string): string | null {
  if (value.length === 0) return 'must not be empty';
  return RULES[type](value);
}

/** Made on first use: a formatter with a time zone costs ~18 ms of ICU set-up, which start-up need not pay. */
let chinaTime: Intl.DateTimeFormat | undefined;

/** A moment as a `time` or `date` field shows it, in China's time: `2026年12月4日 20:30`. */
export function wechatTime(at: Date): string {
  chinaTime ??= new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const p = Object.fromEntries(chinaTime.formatToParts(at).map((part) => [part.type, part.value]));
  return `${p.year}年${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute}`;
}
