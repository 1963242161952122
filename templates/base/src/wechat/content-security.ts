import { httpError } from '../platform/errors';
import type { WechatClient } from './client';
import { badResponse, errcodeOf } from './errors';

/** WeChat's verdict on user content: show it, hold it for review, or refuse it. */
export type Suggest = 'pass' | 'review' | 'risky';

/** Scene 1 = 资料 (a profile): WeChat's rules for nicknames and avatars. */
const PROFILE_SCENE = 1;

const isSuggest = (v: unknown): v is Suggest => v === 'pass' || v === 'review' || v === 'risky';

/**
 * WeChat failing to check is not the user's fault, and nothing may be stored unchecked: 503. The one
 * errcode the user can fix (61010: not in the Mini Program within 2 hours) keeps its own answer.
 */
function unavailable(err: unknown): Error {
  if (errcodeOf(err) === 61010) return err as Error;
  return httpError(503, 'CONTENT_CHECK_UNAVAILABLE', "WeChat's content check is unavailable; nothing was saved, retry shortly.", {
    cause: err,
  });
}

/** WeChat's content security API v2 (内容安全), for text and images a user puts in their profile. */
export class ContentSecurity {
  constructor(private readonly wechat: WechatClient) {}

  /** msgSecCheck v2: `result.suggest` decides (the per-strategy `detail` is for the log). */
  async checkText(openid: string, content: string): Promise<Suggest> {
    let json;
    try {
      json = await this.wechat.post('/wxa/msg_sec_check', { content, version: 2, scene: PROFILE_SCENE, openid });
    } catch (err) {
      throw unavailable(err);
    }
    const suggest = (json.result as { suggest?: unknown } | undefined)?.suggest;
    if (!isSuggest(suggest)) throw unavailable(badResponse());
    return suggest;
  }

  /**
   * mediaCheckAsync v2 for an image WeChat can download from `mediaUrl`: returns the trace_id its verdict
   * will carry when it arrives through message push (event `wxa_media_check`).
   */
  async checkImage(openid: string, mediaUrl: string): Promise<string> {
    let json;
    try {
      json = await this.wechat.post('/wxa/media_check_async', {
        media_url: mediaUrl,
        media_type: 2,
        version: 2,
        scene: PROFILE_SCENE,
        openid,
      });
    } catch (err) {
      throw unavailable(err);
    }
    const traceId = json.trace_id;
    if (typeof traceId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(traceId)) throw unavailable(badResponse());
    return traceId;
  }
}
