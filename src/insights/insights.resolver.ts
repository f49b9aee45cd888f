import { Args, Query, Resolver } from '@nestjs/graphql';
import { CountedConnection, replacedBy } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunityStatisticsArgs, RiskSignalsArgs, RiskSignalsConnectionArgs } from './dto/insights.inputs.js';
import { RiskSignal, RiskSignalConnection } from './models/risk-signal.models.js';
import { CommunityStatistics } from './models/statistics.models.js';
import { RiskSignalsService } from './risk-signals.service.js';
import { StatisticsService } from './statistics.service.js';

@Resolver()
export class InsightsResolver {
  constructor(
    private readonly statistics: StatisticsService,
    private readonly risks: RiskSignalsService,
  ) {}

  @Query(() => CommunityStatistics, {
    description:
      "A community's activity over [from, to) in buckets of one interval, ready for charts, with the period's total. Its auditors.",
  })
  communityStatistics(
    @CurrentActor() actor: Actor,
    @Args() args: CommunityStatisticsArgs,
  ): Promise<CommunityStatistics> {
    return this.statistics.communityStatistics(actor, args);
  }

  @Query(() => [RiskSignal], {
    description:
      'Member accounts of a community flagged for a coordinator to look at, with the evidence, by kind then account. Its auditors. Every threshold has a default; the time windows are parameters too.',
    deprecationReason: replacedBy('riskSignalsConnection'),
  })
  riskSignals(@CurrentActor() actor: Actor, @Args() args: RiskSignalsArgs): Promise<RiskSignal[]> {
    return this.risks.riskSignals(actor, args);
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
