import { Module } from '@nestjs/common';
import { LedgerRepository } from './ledger.repository.js';
import { AccountResolver, CommunityResolver, LedgerResolver, TransferResolver } from './ledger.resolver.js';
import { LedgerService } from './ledger.service.js';

@Module({
  providers: [LedgerRepository, LedgerService, LedgerResolver, CommunityResolver, AccountResolver, TransferResolver],
  exports: [LedgerService],
})
export class LedgerModule {}
