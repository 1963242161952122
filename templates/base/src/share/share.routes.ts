import { loginRequired } from '../auth/guard';
import type { AppContext } from '../auth/state';
import { route } from '../platform/route';
import { WECHAT_ERROR_CODES } from '../wechat/errors';
import type { ShareCodes } from './codes';
import type { UrlLinks } from './links';
import { SceneParams, ShareCodeAnswer, ShareCodeBody, ShareLinkAnswer, ShareLinkBody } from './share.schemas';

/** What the share routes need of the app. */
export interface ShareServices {
  shareCodes: ShareCodes;
  urlLinks: UrlLinks;
}

/** Mini Program codes (小程序码) and URL links. */
export const shareRoutes = [
  route({
    method: 'POST',
    path: '/api/share/codes',
    guard: loginRequired,
    summary: 'A Mini Program code for a page and its parameters',
    description: 'One code per page + parameters: the image is made by WeChat once and served from storage.',
    tag: 'share',
    body: { json: ShareCodeBody },
    answers: { 200: { description: 'The scene, what it stands for, and the image URL.', json: ShareCodeAnswer } },
    errors: {
      ...WECHAT_ERROR_CODES,
      400: ['INVALID_PAGE', 'INVALID_PARAMS'],
      429: ['SHARE_LIMIT', ...WECHAT_ERROR_CODES[429]],
      503: ['DATABASE_UNAVAILABLE', ...WECHAT_ERROR_CODES[503]],
    },
    handler: async (ctx: AppContext, { body }, s: ShareServices) =>
      s.shareCodes.create(ctx.state.jwtUser!.id, body.page, body.params ?? {}),
  }),
  route({
    method: 'GET',
    path: '/api/share/scenes/:scene',
    summary: 'What a scene stands for (on launch from a code)',
    description: 'Pass `decodeURIComponent(options.scene)`. Unknown or malformed scenes are 404.',
    tag: 'share',
    params: SceneParams,
    answers: { 200: { description: 'The page and its parameters.', json: ShareCodeAnswer } },
    errors: { 404: ['SCENE_NOT_FOUND'], 503: ['DATABASE_UNAVAILABLE'] },
    handler: async (_ctx: AppContext, { params }, s: ShareServices) => s.shareCodes.resolve(params.scene),
  }),
  route({
    method: 'POST',
    path: '/api/share/links',
    guard: loginRequired,
    summary: 'A URL link to a page (generate_urllink)',
    description: 'Reused while more than a quarter of its life is left (links live at most 30 days), never handed out expired.',
    tag: 'share',
    body: { json: ShareLinkBody },
    answers: { 200: { description: 'The link and when it stops working.', json: ShareLinkAnswer } },
    errors: {
      ...WECHAT_ERROR_CODES,
      400: ['INVALID_PAGE', 'INVALID_QUERY'],
      429: ['SHARE_LIMIT', ...WECHAT_ERROR_CODES[429]],
      503: ['DATABASE_UNAVAILABLE', ...WECHAT_ERROR_CODES[503]],
    },
    handler: async (ctx: AppContext, { body }, s: ShareServices) => {
      const link = await s.urlLinks.create(ctx.state.jwtUser!.id, body.page, body.query ?? '');
      return { url: link.url, expiresAt: link.expiresAt.toISOString() };
    },
  }),
];
