import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import {
  ClosePeriodInput,
  ClosePeriodPayload,
  LedgerPeriod,
  LedgerPeriodConnection,
  PeriodsArgs,
} from './models/period.models.js';
import { PeriodsService } from './periods.service.js';

@Resolver(() => LedgerPeriod)
export class PeriodsResolver {
  constructor(private readonly periods: PeriodsService) {}

  @Mutation(() => ClosePeriodPayload, {
    description:
      "Closes the community's books through an instant that has passed, recording every balance then. Coordinators and admins; audited.",
  })
  closeLedgerPeriod(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community, the end of the period and why it is closed.' })
    input: ClosePeriodInput,
  ): Promise<ClosePeriodPayload> {
    return this.periods.close(actor, input);
  }

  @Query(() => LedgerPeriodConnection, { description: "A community's closed periods, latest first. Its auditors." })
  ledgerPeriods(@CurrentActor() actor: Actor, @Args() args: PeriodsArgs): Promise<Connection<LedgerPeriod>> {
    return this.periods.list(actor, args);
  }
}
