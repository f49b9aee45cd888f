import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { EventsModule } from '../events/events.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { ChainRepository } from './chain.repository.js';
import { ChainSweeper } from './chain.sweeper.js';
import { CheckpointsService } from './checkpoints.service.js';
import { IntegrityMetrics } from './integrity.metrics.js';
import { IntegrityResolver, StatementProofEntryResolver, StatementProofResolver } from './integrity.resolver.js';
import { ProofsService } from './proofs.service.js';
import { VerificationRepository } from './verification.repository.js';
import { VerificationResolver } from './verification.resolver.js';
import { VerificationService } from './verification.service.js';
import { VerificationSweeper } from './verification.sweeper.js';

/**
 * Tamper evidence and self-checks: the hash chain of every currency, its checkpoints, members'
 * inclusion proofs, and the verification runs that check the ledger's invariants.
 */
@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, EventsModule, LedgerModule],
  providers: [
    ChainRepository,
    ChainSweeper,
    CheckpointsService,
    ProofsService,
    IntegrityMetrics,
    IntegrityResolver,
    StatementProofResolver,
    StatementProofEntryResolver,
    VerificationRepository,
    VerificationService,
    VerificationResolver,
    VerificationSweeper,
  ],
  exports: [ChainRepository],
})
export class IntegrityModule {}
