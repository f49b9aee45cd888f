import { Args, Context, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { HeavyReads } from '../../libs/database/bulkhead.js';
import { CountedConnection, replacedByConnection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Account, Transfer } from '../ledger/models/ledger.models.js';
import { MembersService } from '../members/members.service.js';
import { Member, visibleMemberNote } from '../members/models/member.models.js';
import { CommunityStatisticsArgs, RiskSignalsArgs, RiskSignalsConnectionArgs } from './dto/insights.inputs.js';
import {
  ChronicDebtEvidence,
  HoardingEvidence,
  PaymentCycle,
  RiskSignal,
  RiskSignalConnection,
  RiskTransfer,
} from './models/risk-signal.models.js';
import { CommunityStatistics } from './models/statistics.models.js';
import { RiskSignalsService } from './risk-signals.service.js';
import { StatisticsService } from './statistics.service.js';

@Resolver()
export class InsightsResolver {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly risks: RiskSignalsService,
    private readonly heavyReads: HeavyReads,
  ) {}

  @Query(() => CommunityStatistics, {
    description:
      "A community's activity over [from, to) in buckets of one interval, ready for charts, with the period's total. Its auditors.",
  })
  communityStatistics(
    @CurrentActor() actor: Actor,
    @Args() args: CommunityStatisticsArgs,
  ): Promise<CommunityStatistics> {
    return this.heavyReads.run(() => this.statistics.communityStatistics(actor, args));
  }

  @Query(() => [RiskSignal], {
    description:
      'Member accounts of a community flagged for a coordinator to look at, with the evidence, by kind then account. Its auditors. Every threshold has a default; the time windows are parameters too.',
    deprecationReason: replacedByConnection('riskSignalsConnection'),
  })
  riskSignals(@CurrentActor() actor: Actor, @Args() args: RiskSignalsArgs): Promise<RiskSignal[]> {
    return this.heavyReads.run(() => this.risks.riskSignals(actor, args));
  }

  @Query(() => RiskSignalConnection, {
    description:
      "riskSignals a page at a time, with the same arguments and for the same callers (the community's auditors). Give `to` so that every page describes the same moment; omitted, each page is as of its own request.",
  })
  riskSignalsConnection(
    @CurrentActor() actor: Actor,
    @Args() args: RiskSignalsConnectionArgs,
  ): Promise<CountedConnection<RiskSignal>> {
    return this.risks.riskSignalsPage(actor, args, args);
  }
}

/*
 * Statistics and risk signals are for their community's auditors, who may read every account and
 * transfer of its currency: the accounts and transfers they name are never hidden from them.
 */

const SINCE_TRANSFER = 'The transfer that brought it there (the object of `sinceTransferId`).';

@Resolver(() => CommunityStatistics)
export class CommunityStatisticsResolver {
  constructor(private readonly communities: CommunitiesService) {}

  @ResolveField(() => Community, { description: 'The community counted (the object of `communityId`). Public.' })
  community(@Parent() statistics: CommunityStatistics, @Context() context: object): Promise<Community> {
    return this.communities.load(context, statistics.communityId);
  }
}

@Resolver(() => RiskSignal)
export class RiskSignalResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
  ) {}

  @ResolveField(() => Account, { description: 'The flagged account (the object of `accountId`), as it is now.' })
  account(@Parent() signal: RiskSignal, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, signal.accountId);
  }

  /** Its holder may have closed their membership since: then only admins still see them. */
  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('memberId') })
  member(
    @CurrentActor() actor: Actor,
    @Parent() signal: RiskSignal,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.members.visibleMember(actor, signal.memberId, context);
  }
}

@Resolver(() => RiskTransfer)
export class RiskTransferResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Account, { description: 'The account paid from (the object of `debitAccountId`).' })
  debitAccount(@Parent() transfer: RiskTransfer, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, transfer.debitAccountId);
  }

  @ResolveField(() => Account, { description: 'The account paid to (the object of `creditAccountId`).' })
  creditAccount(@Parent() transfer: RiskTransfer, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, transfer.creditAccountId);
  }
}

@Resolver(() => PaymentCycle)
export class PaymentCycleResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => [Account], {
    description: 'A, B and C (the objects of `accountIds`), in the order the money went round.',
  })
  accounts(@Parent() cycle: PaymentCycle, @Context() context: object): Promise<Account[]> {
    return Promise.all(cycle.accountIds.map((accountId) => this.ledger.accountNamedBy(context, accountId)));
  }
}

@Resolver(() => HoardingEvidence)
export class HoardingEvidenceResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Transfer, { description: SINCE_TRANSFER })
  sinceTransfer(@Parent() evidence: HoardingEvidence, @Context() context: object): Promise<Transfer> {
    return this.ledger.transferNamedBy(context, evidence.sinceTransferId);
  }
}

@Resolver(() => ChronicDebtEvidence)
export class ChronicDebtEvidenceResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Transfer, { description: SINCE_TRANSFER })
  sinceTransfer(@Parent() evidence: ChronicDebtEvidence, @Context() context: object): Promise<Transfer> {
    return this.ledger.transferNamedBy(context, evidence.sinceTransferId);
  }
}
