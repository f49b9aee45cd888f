import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { EventsModule } from '../events/events.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { MembersModule } from '../members/members.module.js';
import { ListingsRepository } from './listings.repository.js';
import { ListingsResolver } from './listings.resolver.js';
import { ListingsService } from './listings.service.js';

/** What members offer and ask for, searchable within their communities. */
@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, EventsModule, MembersModule],
  providers: [ListingsRepository, ListingsService, ListingsResolver],
  exports: [ListingsService],
})
export class ListingsModule {}
