import { Module } from '@nestjs/common';
import { AuditLog } from './audit-log.service.js';
import { AuditRepository } from './audit.repository.js';

@Module({
  providers: [AuditRepository, AuditLog],
  exports: [AuditLog],
})
export class AuditModule {}
