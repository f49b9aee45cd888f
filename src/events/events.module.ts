import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { EventRelaySweeper } from './event-relay.sweeper.js';
import { EventVisibility } from './event-visibility.js';
import { EventsRepository } from './events.repository.js';
import { EventsResolver } from './events.resolver.js';
import { EventsService } from './events.service.js';
import { OutboxMetrics } from './outbox.metrics.js';
import { OutboxService } from './outbox.service.js';

/** Events going out of the service: the outbox that every domain writes to, its relay, and the replayable feed. */
@Module({
  imports: [AccessModule],
  providers: [
    OutboxService,
    OutboxMetrics,
    EventsRepository,
    EventRelaySweeper,
    EventVisibility,
    EventsService,
    EventsResolver,
  ],
  exports: [OutboxService, EventVisibility, EventRelaySweeper, EventsService],
})
export class EventsModule {}
