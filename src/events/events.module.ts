import { Module } from '@nestjs/common';
import { OutboxService } from './outbox.service.js';

/** Events going out of the service; today the outbox that every domain writes to. */
@Module({
  providers: [OutboxService],
  exports: [OutboxService],
})
export class EventsModule {}
