import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditLog } from './audit-log.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver, VerificationResolver } from './audit.resolver.js';
import { VerificationRepository } from './verification.repository.js';
import { VerificationService } from './verification.service.js';
import { ScheduledVerification } from './verification.sweeper.js';

@Module({
  imports: [AccessModule],
  providers: [AuditRepository, AuditLog, AuditResolver, VerificationRepository, VerificationService, VerificationResolver, ScheduledVerification],
  exports: [AuditLog],
})
export class AuditModule {}
