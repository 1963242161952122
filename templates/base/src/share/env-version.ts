import type { MiniprogramState } from '../subscribe/subscriptions';

/** WX_MINIPROGRAM_STATE as getwxacodeunlimit and generate_urllink name it (`env_version`). */
export const ENV_VERSION: Record<MiniprogramState, 'develop' | 'trial' | 'release'> = {
  developer: 'develop',
  trial: 'trial',
  formal: 'release',
};
