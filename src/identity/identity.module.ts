import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { IdentityRepository } from './identity.repository.js';
import { IdentityResolver } from './identity.resolver.js';
import { IdentityService } from './identity.service.js';
import { PartnerAppsService } from './partner-apps.service.js';

@Module({
  imports: [AccessModule, AuditModule],
  providers: [IdentityRepository, IdentityService, PartnerAppsService, IdentityResolver],
  exports: [IdentityService],
})
export class IdentityModule {}
