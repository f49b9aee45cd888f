import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { EventsModule } from '../events/events.module.js';
import { LedgerModule } from '../ledger/ledger.module.js';
import { ListingsModule } from '../listings/listings.module.js';
import { CommunitiesModule } from '../communities/communities.module.js';
import { MembersModule } from '../members/members.module.js';
import { ExchangeSweeper } from './exchange.sweeper.js';
import { ExchangesRepository } from './exchanges.repository.js';
import {
  ExchangeGroupResolver,
  ExchangesResolver,
  MemberReviewsResolver,
  RelatedObjects,
  ReviewResolver,
} from './exchanges.resolver.js';
import { ExchangesService } from './exchanges.service.js';

@Module({
  imports: [AccessModule, AuditModule, CommunitiesModule, EventsModule, LedgerModule, ListingsModule, MembersModule],
  providers: [
    ExchangesRepository,
    ExchangesService,
    ExchangesResolver,
    ExchangeGroupResolver,
    ReviewResolver,
    MemberReviewsResolver,
    RelatedObjects,
    ExchangeSweeper,
  ],
  exports: [ExchangesService],
})
export class ExchangesModule {}
