import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { EventRelaySweeper } from './event-relay.sweeper.js';

/** A state change to announce: what happened (`topic`), to which row, in which community. */
export interface OutboxEvent {
  topic: string;
  aggregateType: string;
  aggregateId: string;
  communityId: string | null;
  payload: Record<string, unknown>;
  /** The members it is about (parties of an exchange, holders of accounts): they may read it in the feed, besides the community's auditors. */
  memberIds?: string[];
  /** Whether every active member of the community may read it in the feed. */
  communityVisible?: boolean;
}

/**
 * The outbox: every domain appends the events of a change in the transaction of that change, so
 * an event exists exactly when its change committed. Once it has, this replica's relay publishes it
 * within milliseconds; the relay's own tick is for the commits of other replicas.
 */
@Injectable()
export class OutboxService {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly relay: EventRelaySweeper,
  ) {}

  /** Must run inside the caller's transaction (TransactionalConnection.transaction). */
  async append(event: OutboxEvent): Promise<void> {
    await this.db.manager.query(
      `INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload, member_ids, community_visible)
       VALUES ($1, $2, $3, $4, $5, $6::bigint[], $7)`,
      [
        event.topic,
        event.aggregateType,
        event.aggregateId,
        event.communityId,
        JSON.stringify(event.payload),
        [...new Set(event.memberIds ?? [])],
        event.communityVisible ?? false,
      ],
    );
    this.publishAfterCommit();
  }

  /**
   * Has the relay publish the current transaction's events as soon as it commits (at once outside a
   * transaction). `append` does it; a write whose events a database trigger appends (a transfer
   * announces itself) calls it after the write.
   */
  publishAfterCommit(): void {
    this.db.afterCommit(() => this.relay.nudge());
  }
}
