import { checkValue, fieldType, wechatTime } from '../src/subscribe/values';

const ok = (type: Parameters<typeof checkValue>[0], ...values: string[]) => {
  for (const v of values) expect([type, v, checkValue(type, v)]).toEqual([type, v, null]);
};
const bad = (type: Parameters<typeof checkValue>[0], ...values: string[]) => {
  for (const v of values) expect([type, v, checkValue(type, v)]).toEqual([type, v, expect.any(String)]);
};

test("a field's type is its name without the number, as WeChat names fields", () => {
  expect(fieldType('thing1')).toBe('thing');
  expect(fieldType('character_string12')).toBe('character_string');
  expect(fieldType('phone_number3')).toBe('phone_number');
  expect(fieldType('thing')).toBeUndefined();
  expect(fieldType('site01x')).toBeUndefined();
  expect(fieldType('keyword1')).toBeUndefined();
});

test('no type takes an empty value (WeChat: "data.x.value is empty")', () => {
  for (const type of ['thing', 'number', 'time', 'phrase', 'name'] as const) expect(checkValue(type, '')).toMatch(/empty/);
});

test('thing: at most 20 characters, a Chinese character counting as one', () => {
  ok('thing', '头像审核', 'a'.repeat(20), '好'.repeat(20), 'Order #42 已发货!');
  bad('thing', 'a'.repeat(21), '好'.repeat(21));
});

test('number, letter, symbol, character_string', () => {
  ok('number', '339208499', '3.14', '1'.repeat(32));
  bad('number', '1'.repeat(33), '12a', '-', '1.');
  ok('letter', 'abc', 'Z'.repeat(32));
  bad('letter', 'ab1', 'a'.repeat(33), '中');
  ok('symbol', '%', '!?#$&');
  bad('symbol', '!?#$&*', 'a', '中');
  ok('character_string', 'A-123_x.9', 'x'.repeat(32));
  bad('character_string', 'x'.repeat(33), '中文', 'a b');
});

test("time and date: WeChat's formats, spans joined by ~", () => {
  ok('time', '15:01', '2019年10月1日 15:01', '2019-10-01 15:01:30', '15:00~16:00', '2019年10月1日 15:01 ~ 2019年10月1日 17:00');
  bad('time', '2019年10月1日', '25:00', '3 pm', '2019-10-01T15:01');
  ok('date', '2019年10月1日', '2019年10月1日 15:01', '2019-10-01', '2019/10/01', '2019年10月1日~2019年10月3日');
  bad('date', '15:01', '10月1日', 'tomorrow');
});

test('amount: a currency symbol and at most 10 digits, decimals and a closing 元 allowed', () => {
  ok('amount', '¥12.50', '￥100', '$9.99', '12.50元', '9999999999');
  bad('amount', '¥12345678901', 'RMB 12', '12,50', '¥');
});

test('phone_number, car_number', () => {
  ok('phone_number', '+86-0766-66888866', '13800138000');
  bad('phone_number', '1'.repeat(18), '138 0013 8000', 'call me');
  ok('car_number', '粤A8Z888挂', '粤B12345', 'AB1234');
  bad('car_number', '粤A8Z8888挂', 'A中12', '粤A-12345');
});

test('name: 10 Chinese characters or 20 letters; mixed counts as Chinese', () => {
  ok('name', '张三', '阿卜杜·买买提', 'John Smith', 'a'.repeat(20), '张San');
  bad('name', '张'.repeat(11), 'a'.repeat(21), '张' + 'a'.repeat(10), 'R2D2');
});

test('phrase: at most 5 Chinese characters, nothing else', () => {
  ok('phrase', '配送中', '审核通过', '货物配送中');
  bad('phrase', '货物正在配送中', 'ok', '通过!');
});

test("wechatTime: China's time, in the format time and date fields take", () => {
  const at = new Date('2026-12-04T12:30:00Z');
  expect(wechatTime(at)).toBe('2026年12月4日 20:30');
  expect(wechatTime(new Date('2026-12-31T16:05:00Z'))).toBe('2027年1月1日 00:05');
  expect(checkValue('time', wechatTime(at))).toBeNull();
  expect(checkValue('date', wechatTime(at))).toBeNull();
});
