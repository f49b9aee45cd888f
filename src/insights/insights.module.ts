import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import {
  ChronicDebtEvidenceResolver,
  CommunityStatisticsResolver,
  HoardingEvidenceResolver,
  InsightsResolver,
  PaymentCycleResolver,
  RiskSignalResolver,
  RiskTransferResolver,
} from './insights.resolver.js';
import { RiskSignalsRepository } from './risk-signals.repository.js';
import { RiskSignalsService } from './risk-signals.service.js';
import { StatisticsRepository } from './statistics.repository.js';
import { StatisticsService } from './statistics.service.js';

/** Statistics series and risk signals over a community's ledger: read-only, for its auditors. */
@Module({
  imports: [AccessModule, CommunitiesModule, LedgerModule, MembersModule],
  providers: [
    StatisticsRepository,
    StatisticsService,
    RiskSignalsRepository,
    RiskSignalsService,
    InsightsResolver,
    CommunityStatisticsResolver,
    RiskSignalResolver,
    RiskTransferResolver,
    PaymentCycleResolver,
    HoardingEvidenceResolver,
    ChronicDebtEvidenceResolver,
  ],
})
export class InsightsModule {}
