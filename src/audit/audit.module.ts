import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditLog } from './audit-log.service.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';

@Module({
  imports: [AccessModule],
  providers: [AuditRepository, AuditLog, AuditResolver],
  exports: [AuditLog],
})
export class AuditModule {}
