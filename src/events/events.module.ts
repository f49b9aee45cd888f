import { Module } from '@nestjs/common';
import { OutboxMetrics } from './outbox.metrics.js';
import { OutboxService } from './outbox.service.js';

/** Events going out of the service; today the outbox that every domain writes to. */
@Module({
  providers: [OutboxService, OutboxMetrics],
  exports: [OutboxService],
})
export class EventsModule {}
