import { Module } from '@nestjs/common';
import { LedgerRepository } from './ledger.repository.js';
import { AccountResolver, CommunityResolver, LedgerResolver, TransferResolver } from './ledger.resolver.js';
import { LedgerService } from './ledger.service.js';
import { PendingExpirySweeper } from './pending-expiry.sweeper.js';
import { REVERSAL_PERMISSION, reversalOpenToAll } from './reversal-permission.js';

@Module({
  providers: [
    LedgerRepository, LedgerService, LedgerResolver, CommunityResolver, AccountResolver, TransferResolver, PendingExpirySweeper,
    { provide: REVERSAL_PERMISSION, useValue: reversalOpenToAll },
  ],
  exports: [LedgerService, PendingExpirySweeper],
})
export class LedgerModule {}
