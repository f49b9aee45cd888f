import { Args, Query, Resolver } from '@nestjs/graphql';
import { HeavyReads } from '../../libs/database/bulkhead.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunityStatisticsArgs, RiskSignalsArgs } from './dto/insights.inputs.js';
import { RiskSignal } from './models/risk-signal.models.js';
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
  })
  riskSignals(@CurrentActor() actor: Actor, @Args() args: RiskSignalsArgs): Promise<RiskSignal[]> {
    return this.heavyReads.run(() => this.risks.riskSignals(actor, args));
  }
}
