import { Injectable } from '@nestjs/common';
import { prepared } from '../../libs/database/prepared-statements.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import type { EventScope } from './event-visibility.js';

/** An event as the outbox holds it, once published. */
export interface PublishedEvent {
  position: string;
  topic: string;
  aggregateType: string;
  aggregateId: string;
  communityId: string | null;
  payload: Record<string, unknown>;
  memberIds: string[];
  communityVisible: boolean;
  occurredAt: Date;
  publishedAt: Date;
}

/** The relay's statement, up to ninety times a second, so prepared. */
const PUBLISH = prepared('SELECT events_publish($1) AS published');

/** The outbox read as a feed, and its relay. */
@Injectable()
export class EventsRepository {
  constructor(private readonly db: TransactionalConnection) {}

  /** Publishes up to `limit` events (events_publish: one relay at a time, below the transaction horizon); returns how many. */
  async publish(limit: number): Promise<number> {
    const [row] = returnedRows(await this.db.manager.query(PUBLISH, [limit]));
    return row.published as number;
  }

  /** The last position published so far (0 before the first). */
  async lastPosition(): Promise<bigint> {
    const [row] = returnedRows(
      await this.db.manager.query('SELECT coalesce(max(position), 0)::text AS last FROM outbox_events'),
    );
    return BigInt(row.last as string);
  }

  /** Up to `limit` published events after `afterPosition` that `scope` may see, in position order. */
  async page(filter: {
    scope: EventScope;
    afterPosition?: bigint;
    types?: string[];
    limit: number;
  }): Promise<PublishedEvent[]> {
    const { scope } = filter;
    const params: unknown[] = [];
    let where = 'position IS NOT NULL';
    if (filter.afterPosition !== undefined) where += ` AND position > $${params.push(filter.afterPosition.toString())}`;
    if (filter.types) where += ` AND topic = ANY($${params.push(filter.types)}::text[])`;
    if (scope.communityId !== null) where += ` AND community_id = $${params.push(scope.communityId)}`;
    const seen: string[] = [];
    if (scope.everything) seen.push('TRUE');
    if (scope.auditedCommunityIds.length > 0)
      seen.push(`community_id = ANY($${params.push(scope.auditedCommunityIds)}::bigint[])`);
    if (scope.memberId !== null) {
      const own = `member_ids @> ARRAY[$${params.push(scope.memberId)}]::bigint[]`;
      seen.push(
        scope.withinCommunityId === null ? own : `(${own} AND community_id = $${params.push(scope.withinCommunityId)})`,
      );
    }
    if (scope.activeCommunityIds.length > 0)
      seen.push(`(community_visible AND community_id = ANY($${params.push(scope.activeCommunityIds)}::bigint[]))`);
    where += ` AND (${seen.length > 0 ? seen.join(' OR ') : 'FALSE'})`;
    const rows = returnedRows(
      await this.db.manager.query(
        `SELECT position, topic, aggregate_type, aggregate_id, community_id, payload, member_ids, community_visible,
                created_at, published_at
           FROM outbox_events WHERE ${where} ORDER BY position LIMIT $${params.push(filter.limit)}`,
        params,
      ),
    );
    return rows.map((row) => ({
      position: row.position as string,
      topic: row.topic as string,
      aggregateType: row.aggregate_type as string,
      aggregateId: row.aggregate_id as string,
      communityId: row.community_id as string | null,
      payload: row.payload as Record<string, unknown>,
      memberIds: row.member_ids as string[],
      communityVisible: row.community_visible as boolean,
      occurredAt: row.created_at as Date,
      publishedAt: row.published_at as Date,
    }));
  }
}
