import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { InsightsResolver } from './insights.resolver.js';
import { RiskSignalsRepository } from './risk-signals.repository.js';
import { RiskSignalsService } from './risk-signals.service.js';
import { StatisticsRepository } from './statistics.repository.js';
import { StatisticsService } from './statistics.service.js';

/** Statistics series and risk signals over a community's ledger: read-only, for its auditors. */
@Module({
  imports: [AccessModule, LedgerModule],
  providers: [StatisticsRepository, StatisticsService, RiskSignalsRepository, RiskSignalsService, InsightsResolver],
})
export class InsightsModule {}
