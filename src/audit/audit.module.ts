import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditLogService } from './audit-log.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';

/** The audit log: who did what, written by every domain in the same transaction as the act. */
@Module({
  imports: [AccessModule],
  providers: [AuditRepository, AuditLogService, AuditResolver],
  exports: [AuditLogService],
})
export class AuditModule {}
