import { Module } from '@nestjs/common';
import { AppConfig } from '../../libs/config/app-config.js';
import { AccessModule } from '../access/access.module.js';
import { EventBus, NatsEventBus, PostgresEventBus } from './event-bus.js';
import { EventHub } from './event-hub.js';
import { EventRelaySweeper } from './event-relay.sweeper.js';
import { EventVisibility } from './event-visibility.js';
import { EventsRepository } from './events.repository.js';
import { EventsResolver } from './events.resolver.js';
import { EventsService } from './events.service.js';
import { OutboxMetrics } from './outbox.metrics.js';
import { OutboxService } from './outbox.service.js';

/** Events going out of the service: the outbox that every domain writes to, its relay, the replayable feed, and live subscriptions. */
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
    EventHub,
    {
      provide: EventBus,
      inject: [AppConfig],
      useFactory: ({ realtime, databaseUrl }: AppConfig): EventBus =>
        realtime.natsUrl ? new NatsEventBus(realtime.natsUrl) : new PostgresEventBus(databaseUrl!),
    },
  ],
  exports: [OutboxService, EventVisibility, EventRelaySweeper, EventsService, EventHub],
})
export class EventsModule {}
