import { z } from 'zod';

/** The pieces settings schemas are made of (src/config.ts, and the settings an option's overlay adds). */

/** Environment values are text; blank counts as unset, so that `KEY=` in .env means "use the default". */
export const text = (v: unknown) => (typeof v === 'string' ? v.trim() || undefined : v);
export const required = (what: string) =>
  z.preprocess(text, z.string({ error: (i) => (i.input === undefined ? 'is missing' : `must be ${what}`) }));
export const optional = (fallback: string) => z.preprocess(text, z.string().default(fallback));
export const wholeNumber = (fallback: number, min: number, max: number) =>
  z.preprocess(
    text,
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(z.number().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`))
      .default(fallback),
  );
export const flag = (fallback: boolean) =>
  z.preprocess(
    text,
    z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .transform((v) => v === 'true')
      .default(fallback),
  );
