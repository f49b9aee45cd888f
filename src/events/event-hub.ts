import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { Unavailable } from '../../libs/database/pg-errors.js';
import { Metrics } from '../../libs/observability/metrics.js';
import { EventBus } from './event-bus.js';
import { EventStream, StreamSource } from './event-stream.js';
import { EVERY_EVENT } from './event-visibility.js';
import { EventsRepository, PublishedEvent } from './events.repository.js';

/** Events the hub reads from the database at a time. */
const HUB_PAGE = 500;
/** A replica with subscribers reads at least this often, in case an announcement was lost (a relay that died before announcing). */
const FALLBACK_MS = 1000;

/** The keys streams may be routed by: the members an event is about, and the accounts a transfer event moves. */
export function eventKeys(event: PublishedEvent): string[] {
  const keys = event.memberIds.map(memberKey);
  for (const account of [event.payload.debitAccountId, event.payload.creditAccountId])
    if (typeof account === 'string') keys.push(accountKey(account));
  return keys;
}

export const memberKey = (memberId: string): string => `member:${memberId}`;
export const accountKey = (accountId: string): string => `account:${accountId}`;

/**
 * A replica's live events: when the bus announces a publication (from any replica), the hub reads
 * what was published since the last position it dispatched, in one query for all its subscribers,
 * and offers each event to every stream in position order; each stream keeps what its subscriber
 * may see. The hub starts listening with its first subscriber, and reads nothing while it has none.
 */
@Injectable()
export class EventHub implements OnModuleDestroy {
  private readonly streams = new Set<EventStream<unknown>>();
  /** Streams that take only events of one key, by key: an event is offered to those of its keys, and to the others. */
  private readonly keyed = new Map<string, Set<EventStream<unknown>>>();
  private readonly unkeyed = new Set<EventStream<unknown>>();
  private dispatched = 0n;
  private openedCount = 0;
  private listening?: Promise<void>;
  private fallback?: NodeJS.Timeout;
  private draining?: Promise<void>;
  private drainAgain = false;
  private readonly logger = new Logger('EventHub');

  constructor(
    private readonly bus: EventBus,
    private readonly repository: EventsRepository,
    metrics: Metrics,
  ) {
    metrics.gaugeReadOnScrape(
      'pumasi_subscriptions_open',
      'GraphQL subscriptions open on this replica',
      () => this.streams.size,
    );
  }

  /**
   * A stream of what `source` accepts after position `after` (omitted: from now on), each event
   * presented by `present`. It ends when the subscriber stops reading (its `return()`).
   */
  async open<T>(
    source: Omit<StreamSource, 'leave'>,
    after: bigint | undefined,
    present: (event: PublishedEvent) => Promise<T>,
  ): Promise<EventStream<T>> {
    await this.listen();
    if (this.streams.size === 0) this.dispatched = await this.repository.lastPosition();
    const route = source.key === undefined ? this.unkeyed : this.routeOf(source.key);
    const stream: EventStream<T> = new EventStream<T>(
      {
        ...source,
        leave: () => {
          this.streams.delete(stream);
          route.delete(stream);
          if (source.key !== undefined && route.size === 0) this.keyed.delete(source.key);
        },
      },
      after ?? this.dispatched,
      present,
    );
    this.streams.add(stream);
    route.add(stream);
    this.openedCount++;
    return stream;
  }

  private routeOf(key: string): Set<EventStream<unknown>> {
    let route = this.keyed.get(key);
    if (!route) this.keyed.set(key, (route = new Set()));
    return route;
  }

  /** Streams open now, on this replica. */
  get subscriberCount(): number {
    return this.streams.size;
  }

  /** Streams ever opened on this replica. */
  get opened(): number {
    return this.openedCount;
  }

  /** Stops listening; the streams end with their sockets, which the subscription server closes. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.fallback);
    if (this.listening) await this.bus.stop();
    await this.draining;
  }

  /** Starts listening with the first subscriber; if the bus cannot be reached, that subscriber is told to retry, and the next one tries again. */
  private listen(): Promise<void> {
    this.listening ??= this.bus
      .start(() => this.wake())
      .then(
        () => {
          this.fallback = setInterval(() => this.wake(), FALLBACK_MS);
          this.fallback.unref();
        },
        (error: unknown) => {
          this.listening = undefined;
          this.logger.warn(`Cannot listen for published events: ${String(error)}`);
          throw new Unavailable('Live events are unavailable for the moment: retry shortly');
        },
      );
    return this.listening;
  }

  private wake(): void {
    if (this.streams.size === 0) return;
    if (this.draining) {
      this.drainAgain = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.logger.warn(`Reading published events failed; retrying: ${String(error)}`))
      .finally(() => {
        this.draining = undefined;
        if (this.drainAgain) {
          this.drainAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const events = await this.repository.page({
        scope: EVERY_EVENT,
        afterPosition: this.dispatched,
        limit: HUB_PAGE,
      });
      for (const event of events) {
        for (const stream of this.unkeyed) stream.offer(event);
        for (const key of eventKeys(event)) for (const stream of this.keyed.get(key) ?? []) stream.offer(event);
        this.dispatched = BigInt(event.position);
      }
      if (events.length < HUB_PAGE) return;
    }
  }
}
