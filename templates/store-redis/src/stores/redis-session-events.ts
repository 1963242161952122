import type Redis from 'ioredis';
import type { Logger } from '../platform/log';
import type { SessionEvent, SessionEvents } from '../auth/session';

/**
 * Session removals and changes, told to every instance over Redis pub/sub on a connection of its own
 * (a subscribed connection can do nothing else). Delivery takes about a millisecond; while the
 * subscription is down, other instances' cached copies expire after SESSION_CACHE_MS instead, and the
 * log says so.
 */
export class RedisSessionEvents implements SessionEvents {
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private up = false;
  private closing = false;

  private constructor(
    private readonly redis: Redis,
    private readonly subscriber: Redis,
    private readonly channel: string,
    private readonly log: Logger,
  ) {
    subscriber.on('message', (ch: string, text: string) => {
      if (ch !== channel) return;
      let event: SessionEvent;
      try {
        event = JSON.parse(text) as SessionEvent;
      } catch {
        return;
      }
      for (const listener of this.listeners) listener(event);
    });
    subscriber.on('error', (err) => log.error({ err }, 'redis subscriber error'));
    subscriber.on('close', () => this.down());
    // ioredis subscribes again by itself after a reconnect
    subscriber.on('ready', () => {
      if (!this.up) log.info({ channel }, 'session events: subscribed; logouts reach every instance at once');
      this.up = true;
    });
  }

  /** Connects a dedicated subscriber and subscribes before the app serves its first request. */
  static async start(redis: Redis, channel: string, log: Logger): Promise<RedisSessionEvents> {
    const subscriber = redis.duplicate();
    const events = new RedisSessionEvents(redis, subscriber, channel, log);
    try {
      await subscriber.connect();
      await subscriber.subscribe(channel);
    } catch (err) {
      subscriber.disconnect();
      throw err;
    }
    return events;
  }

  get subscribed(): boolean {
    return this.up;
  }

  subscribe(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Tells every instance (this one too); a failure is logged, the change itself already happened. */
  async publish(event: SessionEvent): Promise<void> {
    await this.redis.publish(this.channel, JSON.stringify(event)).catch((err: unknown) => {
      this.log.warn({ err }, 'session event not published: other instances see it after SESSION_CACHE_MS');
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.listeners.clear();
    // nothing to flush on a subscriber; disconnect() also stops a reconnect that is waiting
    this.subscriber.disconnect();
  }

  private down(): void {
    if (this.up && !this.closing)
      this.log.warn(
        { channel: this.channel },
        "session events: subscription lost; other instances' logouts now take up to SESSION_CACHE_MS here",
      );
    this.up = false;
  }
}
