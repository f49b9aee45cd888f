import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { EventsModule } from '../events/events.module.js';
import { WebhookDeliverySweeper } from './webhook-delivery.sweeper.js';
import { WebhookFanoutSweeper } from './webhook-fanout.sweeper.js';
import { WebhookMetrics } from './webhooks.metrics.js';
import { WebhooksRepository } from './webhooks.repository.js';
import { WebhooksResolver } from './webhooks.resolver.js';
import { WebhooksService } from './webhooks.service.js';

/** Signed webhooks for partner apps: their endpoints, the fan-out from the event feed, and the delivery worker. */
@Module({
  imports: [AccessModule, AuditModule, EventsModule],
  providers: [
    WebhooksRepository,
    WebhooksService,
    WebhooksResolver,
    WebhookFanoutSweeper,
    WebhookDeliverySweeper,
    WebhookMetrics,
  ],
  exports: [WebhooksService],
})
export class WebhooksModule {}
