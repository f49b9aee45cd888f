import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CommunitiesService } from './communities.service.js';
import { MembersRepository } from './members.repository.js';
import { CommunityPoliciesResolver, MemberResolver, MembershipResolver, MembersResolver } from './members.resolver.js';
import { MembersService } from './members.service.js';

@Module({
  imports: [AccessModule, AuditModule, IdentityModule, LedgerModule],
  providers: [MembersRepository, MembersService, CommunitiesService, MembersResolver, MemberResolver, MembershipResolver, CommunityPoliciesResolver],
  exports: [MembersService, CommunitiesService],
})
export class MembersModule {}
