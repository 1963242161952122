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

/** Counts one user's checks; rate-limiter-flexible's limiters fit it (the store overlay decides where). */
export interface CheckCounter {
  consume(key: string): Promise<unknown>;
}

/**
 * WeChat's content security API v2 (内容安全), for text and images a user puts in their profile. Every
 * check counts against the AppID's daily quota at WeChat, so each user may ask for at most `perDay`.
 */
export class ContentSecurity {
  constructor(
    private readonly wechat: WechatClient,
    private readonly quota?: { counter: CheckCounter; perDay: number },
  ) {}

  /** 429 once this user used up their checks for the day, before WeChat is asked. */
  private async count(openid: string): Promise<void> {
    if (!this.quota) return;
    try {
      await this.quota.counter.consume(openid);
    } catch (err) {
      const ms = (err as { msBeforeNext?: unknown }).msBeforeNext;
      if (typeof ms !== 'number') throw unavailable(err); // the counter's store failed: nothing unchecked is stored
      const seconds = Math.max(1, Math.ceil(ms / 1000));
      throw httpError(
        429,
        'CONTENT_CHECK_LIMIT',
        `At most ${this.quota.perDay} nickname and avatar checks a day for one user; retry in ${Math.ceil(seconds / 3600)} h.`,
        { headers: { 'Retry-After': String(seconds) } },
      );
    }
  }

  /** msgSecCheck v2: `result.suggest` decides (the per-strategy `detail` is for the log). */
  async checkText(openid: string, content: string): Promise<Suggest> {
    await this.count(openid);
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
    await this.count(openid);
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
