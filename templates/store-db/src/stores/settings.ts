/** The settings this store adds to src/config.ts's schema: none. */
export const STORE_ENV = {};

/** Their names in `Config`: none. */
export const storeConfig = (_e: object) => ({});
