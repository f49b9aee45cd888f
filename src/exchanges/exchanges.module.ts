import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { MembersModule } from '../members/members.module.js';
import { ExchangeSweeper } from './exchange.sweeper.js';
import { ExchangesRepository } from './exchanges.repository.js';
import { ExchangesResolver, MemberReviewsResolver } from './exchanges.resolver.js';
import { ExchangesService } from './exchanges.service.js';
import { ListingsRepository } from './listings.repository.js';
import { ListingsResolver } from './listings.resolver.js';
import { ListingsService } from './listings.service.js';

@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, LedgerModule, MembersModule],
  providers: [
    ListingsRepository, ListingsService, ListingsResolver, ExchangesRepository, ExchangesService, ExchangesResolver, MemberReviewsResolver, ExchangeSweeper,
  ],
})
export class ExchangesModule {}
