/**
 * Which version of the Mini Program WeChat opens from a subscribe message, a code or a link
 * (WX_MINIPROGRAM_STATE): the development build, the trial build, or the released one.
 */
export const MINIPROGRAM_STATES = ['developer', 'trial', 'formal'] as const;
export type MiniprogramState = (typeof MINIPROGRAM_STATES)[number];

/** The same, as getwxacodeunlimit and generate_urllink name it (`env_version`). */
export const ENV_VERSION: Record<MiniprogramState, 'develop' | 'trial' | 'release'> = {
  developer: 'develop',
  trial: 'trial',
  formal: 'release',
};
