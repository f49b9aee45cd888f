import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { IdentityRepository } from './identity.repository.js';
import { AuditEntryPartnerAppResolver, IdentityResolver, PartnerAppCommunityResolver } from './identity.resolver.js';
import { IdentityService } from './identity.service.js';
import { PartnerAppsService } from './partner-apps.service.js';
import { SessionCache } from './session-cache.service.js';

@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule],
  providers: [
    IdentityRepository,
    IdentityService,
    SessionCache,
    PartnerAppsService,
    IdentityResolver,
    PartnerAppCommunityResolver,
    AuditEntryPartnerAppResolver,
  ],
  exports: [IdentityService, SessionCache],
})
export class IdentityModule {}
