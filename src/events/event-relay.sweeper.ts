import { Injectable } from '@nestjs/common';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { EventBus } from './event-bus.js';
import { EventsRepository } from './events.repository.js';

/**
 * How long a nudge waits, so that the commits of that time share one publication: at most forty
 * nudged relay transactions a second (besides the 50 ms tick's), whatever the payment rate. Each is a commit (a WAL flush) and a round
 * trip: at 10 ms, a hundred a second cost the server 15% more CPU per payment under load (bench
 * --compare), for events out 15 ms sooner.
 */
const SOON_MS = 25;

/**
 * The relay: publishes the outbox's new events (a position each, in id order, below the oldest
 * running transaction of this database), then wakes listeners with NOTIFY pumasi_events: within
 * SOON_MS of a commit on this replica (OutboxService nudges it), and every 50 ms for the commits
 * of other replicas. Replicas take turns: events_publish lets one relay at a time, and each batch
 * commits with its stamps, so a relay that dies mid-batch leaves it to the next.
 */
@Injectable()
export class EventRelaySweeper extends PeriodicSweep {
  constructor(
    private readonly events: EventsRepository,
    private readonly bus: EventBus,
  ) {
    super({ everyMs: 50, batch: 1000, soonMs: SOON_MS });
  }

  /**
   * One statement, its own transaction: a round trip, not five, since a relay runs up to forty
   * times a second under load. Once it has committed, the bus tells every replica (PostgreSQL's
   * NOTIFY already has, at the commit).
   */
  protected async sweepBatch(limit: number): Promise<number> {
    const published = await this.events.publish(limit);
    if (published > 0) await this.bus.announce();
    return published;
  }
}
