import { loginRequired } from '../auth/guard';
import type { AppContext } from '../auth/state';
import { route } from '../platform/route';
import { SubscribeAnswer, SubscribeBody, SubscriptionsAnswer } from './subscribe.schemas';
import type { Subscriptions } from './subscriptions';

/** What the subscription routes need of the app. */
export interface SubscribeServices {
  subscriptions: Subscriptions;
}

/** Subscribe messages (订阅消息): the templates to ask for, and what the user allowed. */
export const subscribeRoutes = [
  route({
    method: 'GET',
    path: '/api/subscriptions',
    guard: loginRequired,
    summary: 'The subscribe message templates to ask for, and my send credits',
    description: 'Load it before the tap: wx.requestSubscribeMessage must be called straight from the tap handler.',
    tag: 'subscriptions',
    answers: { 200: { description: 'Template ids by key, and the sends I allowed by key.', json: SubscriptionsAnswer } },
    errors: { 503: ['DATABASE_UNAVAILABLE'] },
    handler: async (ctx: AppContext, _input, s: SubscribeServices) => s.subscriptions.overview(ctx.state.jwtUser!.id),
  }),
  route({
    method: 'POST',
    path: '/api/subscriptions',
    guard: loginRequired,
    summary: 'Record what wx.requestSubscribeMessage answered',
    description: 'Each `accept` of a configured template allows one message of it; other answers and unknown ids add nothing.',
    tag: 'subscriptions',
    body: { json: SubscribeBody },
    answers: { 200: { description: 'The keys accepted now, and my credits for the templates answered.', json: SubscribeAnswer } },
    errors: { 503: ['DATABASE_UNAVAILABLE'] },
    handler: async (ctx: AppContext, { body }, s: SubscribeServices) => s.subscriptions.record(ctx.state.jwtUser!.id, body.answer),
  }),
];
