import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { EventBus } from './event-bus.js';
import { EventsRepository } from './events.repository.js';

/**
 * The relay: publishes the outbox's new events every 50 ms (a position each, in id order, below
 * the oldest running transaction), then wakes listeners with NOTIFY pumasi_events. Replicas take
 * turns: events_publish lets one relay at a time, and each batch commits with its stamps, so a
 * relay that dies mid-batch leaves it to the next.
 */
@Injectable()
export class EventRelaySweeper extends PeriodicSweep {
  constructor(
    private readonly events: EventsRepository,
    private readonly db: TransactionalConnection,
    private readonly bus: EventBus,
  ) {
    super({ everyMs: 50, batch: 1000 });
  }

  /** Once a batch has committed, the bus tells every replica (PostgreSQL's NOTIFY already has, at the commit). */
  protected async sweepBatch(limit: number): Promise<number> {
    const published = await this.db.jobTransaction(() => this.events.publish(limit));
    if (published > 0) await this.bus.announce();
    return published;
  }
}
