import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CommunitiesRepository } from './communities.repository.js';
import { AuditEntryCommunityResolver, CommunitiesResolver } from './communities.resolver.js';
import { CommunitiesService } from './communities.service.js';

/** Communities: created by admins with their currency, governed by their coordinators through policies. */
@Module({
  imports: [AccessModule, AuditModule, LedgerModule],
  providers: [CommunitiesRepository, CommunitiesService, CommunitiesResolver, AuditEntryCommunityResolver],
  exports: [CommunitiesService],
})
export class CommunitiesModule {}
