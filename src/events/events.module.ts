import { Module } from '@nestjs/common';
import { OutboxRepository } from './outbox.repository.js';

/** Events going out of the service; today the outbox that every domain writes to. */
@Module({
  providers: [OutboxRepository],
  exports: [OutboxRepository],
})
export class EventsModule {}
