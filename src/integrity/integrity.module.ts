import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { ChainRepository } from './chain.repository.js';
import { Chainer } from './chainer.sweeper.js';
import { CheckpointsService } from './checkpoints.service.js';
import { IntegrityResolver } from './integrity.resolver.js';
import { ProofsService } from './proofs.service.js';

/** Tamper evidence: the hash chain of every currency, its checkpoints, and members' inclusion proofs. */
@Module({
  imports: [AccessModule, AuditModule],
  providers: [ChainRepository, Chainer, CheckpointsService, ProofsService, IntegrityResolver],
  exports: [ChainRepository],
})
export class IntegrityModule {}
