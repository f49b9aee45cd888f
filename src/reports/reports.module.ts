import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { IdentityModule } from '../identity/identity.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { MembersModule } from '../members/members.module.js';
import { ExportLinkSweeper } from './export-link.sweeper.js';
import { ExportsController } from './exports.controller.js';
import { ExportsService } from './exports.service.js';
import { ReportsRepository } from './reports.repository.js';
import {
  AccountStatementResolver,
  BalanceLineResolver,
  BalanceReportResolver,
  CurrencyBalanceReportResolver,
  ReportsResolver,
  StatementLineResolver,
} from './reports.resolver.js';
import { ReportsService } from './reports.service.js';

/** Balance reports, statements and their CSV exports: read-only views of the ledger, agreeing by construction. */
@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, IdentityModule, LedgerModule, MembersModule],
  providers: [
    ReportsRepository,
    ReportsService,
    ExportsService,
    ReportsResolver,
    CurrencyBalanceReportResolver,
    BalanceLineResolver,
    BalanceReportResolver,
    StatementLineResolver,
    AccountStatementResolver,
    ExportLinkSweeper,
  ],
  controllers: [ExportsController],
})
export class ReportsModule {}
