import { Injectable } from '@nestjs/common';
import { ClientError, ErrorCode } from '../../libs/graphql/error-code.js';
import { Connection, ConnectionCursors } from '../../libs/graphql/pagination.js';
import { toGlobalId } from '../../libs/graphql/global-id.js';
import type { Actor } from '../access/actor.js';
import { EventsArgs } from './dto/events.inputs.js';
import { aggregateTypeName, EVENT_TYPE_NAMES, payloadV1 } from './event-types.js';
import { EventHub } from './event-hub.js';

export { accountKey, memberKey } from './event-hub.js';
import { EventScope, EventVisibility, isVisible } from './event-visibility.js';
import { forbidden } from '../access/access.policy.js';
import { EventsRepository, PublishedEvent } from './events.repository.js';

export type { PublishedEvent } from './events.repository.js';
import { Event } from './models/event.models.js';

const cursors = new ConnectionCursors('events');

/** What a subscription follows, within what its caller may see. */
export interface EventSubscription {
  /** One community's events (all of them for its auditors); omitted, every community the caller may see. */
  communityId?: string;
  types?: readonly string[];
  /** A narrower choice among those, e.g. one account's transfers. */
  about?: (event: PublishedEvent) => boolean;
  /** When `about` takes only events of one key (memberKey, accountKey): live events of other keys are not even offered. */
  key?: string;
  /** Only for the community's auditors: FORBIDDEN for a member who would see only their own events there. */
  auditorsOnly?: boolean;
  /** The position of the last event the subscriber received: it gets what it missed first. Omitted, from now on. */
  after?: bigint;
}

/** The replayable feed: published events, in position order, as far as the caller may see them. */
@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    private readonly visibility: EventVisibility,
    private readonly hub: EventHub,
  ) {}

  /**
   * Live events for a subscription, in position order, each once, as far as the caller may see
   * them (the same rules as the feed's), each presented by `present`. Throws as `scopeOf` does.
   */
  async subscribe<T>(
    actor: Actor,
    subscription: EventSubscription,
    present: (event: PublishedEvent) => Promise<T>,
  ): Promise<AsyncIterableIterator<T>> {
    const scope = await this.visibility.scopeOf(actor, subscription.communityId);
    if (subscription.auditorsOnly && !audits(scope, subscription.communityId)) throw forbidden();
    if (subscription.after !== undefined && subscription.after > (await this.repository.lastPosition()))
      throw new ClientError(ErrorCode.BAD_USER_INPUT, 'after is not the id of an event this API has sent', {
        field: 'after',
      });
    const { types, about } = subscription;
    const wanted = (event: PublishedEvent): boolean =>
      (!types || types.includes(event.topic)) && (!about || about(event));
    return this.hub.open(
      {
        readAfter: (position, limit) =>
          this.repository.page({ scope, afterPosition: position, types: types && [...types], limit }),
        accepts: (event) => isVisible(scope, event) && wanted(event),
        key: subscription.key,
      },
      subscription.after,
      present,
    );
  }

  async list(actor: Actor, args: EventsArgs): Promise<Connection<Event>> {
    const scope = await this.visibility.scopeOf(actor, args.communityId);
    const after = cursors.decode(args.after);
    const rows = await this.repository.page({
      scope,
      afterPosition: after?.[0],
      types: args.types,
      limit: args.first + 1,
    });
    return cursors.page(rows, args.first, (row) => [BigInt(row.position)], toEvent, after);
  }

  /** Up to `limit` events after `afterPosition` that `actor` may see, by position: the feed without cursors (webhooks read it so). */
  async after(actor: Actor, afterPosition: bigint, filter: { types: string[]; limit: number }): Promise<Event[]> {
    const scope = await this.visibility.scopeOf(actor);
    const rows = await this.repository.page({ scope, afterPosition, types: filter.types, limit: filter.limit });
    return rows.map(toEvent);
  }
}

/** The event types of one kind of subject: `transfer`, `exchange`, … */
export const eventTypesOf = (subject: string): string[] =>
  EVENT_TYPE_NAMES.filter((type) => type.startsWith(`${subject}.`));

const audits = (scope: EventScope, communityId: string | undefined): boolean =>
  scope.everything || (communityId !== undefined && scope.auditedCommunityIds.includes(communityId));

/** A subscription's `after` (an event's id, decoded to its position). */
export const resumeAfter = (after: string | undefined): bigint | undefined =>
  after === undefined ? undefined : BigInt(after);

export function toEvent(row: PublishedEvent): Event {
  const subjectType = aggregateTypeName(row.aggregateType);
  return {
    id: row.position,
    position: row.position,
    type: row.topic,
    communityId: row.communityId,
    occurredAt: row.occurredAt,
    publishedAt: row.publishedAt,
    subjectType: row.aggregateType,
    subjectId: subjectType ? toGlobalId(subjectType, row.aggregateId) : row.aggregateId,
    payload: payloadV1(row.aggregateType, row.payload),
  };
}
