import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { EventsModule } from '../events/events.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersRepository } from './members.repository.js';
import {
  AuditEntryMemberResolver,
  AuthTokensMemberResolver,
  MemberResolver,
  MembershipResolver,
  MembersResolver,
  ViewerMemberResolver,
} from './members.resolver.js';
import { MembersService } from './members.service.js';

@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, EventsModule, IdentityModule, LedgerModule],
  providers: [
    MembersRepository,
    MembersService,
    MembersResolver,
    MemberResolver,
    MembershipResolver,
    AuditEntryMemberResolver,
    AuthTokensMemberResolver,
    ViewerMemberResolver,
  ],
  exports: [MembersService],
})
export class MembersModule {}
