import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { EventsModule } from '../events/events.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthorizedLedgerService } from './authorized-ledger.service.js';
import { LedgerRepository } from './ledger.repository.js';
import {
  AccountActivityResolver,
  AccountResolver,
  LedgerResolver,
  PostingResolver,
  TransferResolver,
} from './ledger.resolver.js';
import { LedgerService } from './ledger.service.js';
import { PendingExpirySweeper } from './pending-expiry.sweeper.js';
import { PeriodsRepository } from './periods.repository.js';
import { PeriodBalanceResolver, PeriodsResolver } from './periods.resolver.js';
import { PeriodsService } from './periods.service.js';

@Module({
  imports: [AccessModule, AuditModule, EventsModule],
  providers: [
    LedgerRepository,
    LedgerService,
    AuthorizedLedgerService,
    LedgerResolver,
    AccountResolver,
    AccountActivityResolver,
    TransferResolver,
    PostingResolver,
    PendingExpirySweeper,
    PeriodsRepository,
    PeriodsService,
    PeriodsResolver,
    PeriodBalanceResolver,
  ],
  exports: [LedgerService, AuthorizedLedgerService, PendingExpirySweeper],
})
export class LedgerModule {}
