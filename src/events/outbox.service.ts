import { Injectable } from '@nestjs/common';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';

/** A state change to announce: what happened (`topic`), to which row, in which community. */
export interface OutboxEvent {
  topic: string;
  aggregateType: string;
  aggregateId: string;
  communityId: string | null;
  payload: Record<string, unknown>;
}

/**
 * The outbox: every domain appends the events of a change in the transaction of that change, so
 * an event exists exactly when its change committed.
 */
@Injectable()
export class OutboxService {
  constructor(private readonly db: TransactionalConnection) {}

  /** Must run inside the caller's transaction (TransactionalConnection.transaction). */
  async append(event: OutboxEvent): Promise<void> {
    await this.db.manager.query(
      'INSERT INTO outbox_events (topic, aggregate_type, aggregate_id, community_id, payload) VALUES ($1, $2, $3, $4, $5)',
      [event.topic, event.aggregateType, event.aggregateId, event.communityId, JSON.stringify(event.payload)],
    );
  }
}
