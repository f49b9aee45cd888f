import { Injectable } from '@nestjs/common';
import { Connection, ConnectionCursors } from '../../libs/graphql/pagination.js';
import { toGlobalId } from '../../libs/graphql/global-id.js';
import type { Actor } from '../access/actor.js';
import { EventsArgs } from './dto/events.inputs.js';
import { aggregateTypeName, payloadV1 } from './event-types.js';
import { EventVisibility } from './event-visibility.js';
import { EventsRepository, PublishedEvent } from './events.repository.js';
import { Event } from './models/event.models.js';

const cursors = new ConnectionCursors('events');

/** The replayable feed: published events, in position order, as far as the caller may see them. */
@Injectable()
export class EventsService {
  constructor(
    private readonly repository: EventsRepository,
    private readonly visibility: EventVisibility,
  ) {}

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
