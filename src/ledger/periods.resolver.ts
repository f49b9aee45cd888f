import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { LedgerService } from './ledger.service.js';
import { Account, Currency } from './models/ledger.models.js';
import {
  ClosePeriodInput,
  ClosePeriodPayload,
  LedgerPeriod,
  LedgerPeriodConnection,
  PeriodBalance,
  PeriodsArgs,
} from './models/period.models.js';
import { PeriodsService } from './periods.service.js';

@Resolver(() => LedgerPeriod)
export class PeriodsResolver {
  constructor(
    private readonly periods: PeriodsService,
    private readonly ledger: LedgerService,
  ) {}

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

  @ResolveField(() => Currency, {
    description: 'The currency whose books it closed (the object of `currencyId`). Public.',
  })
  async currency(@Parent() period: LedgerPeriod, @Context() context: object): Promise<Currency> {
    return this.ledger.currencyNamedBy(context, period.currencyId);
  }
}

/** Periods are shown to their community's auditors only, who may read every account of it. */
@Resolver(() => PeriodBalance)
export class PeriodBalanceResolver {
  constructor(private readonly ledger: LedgerService) {}

  @ResolveField(() => Account, {
    description: "The account (the object of `accountId`), as it is now; `balance` is the period's.",
  })
  async account(@Parent() line: PeriodBalance, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, line.accountId);
  }
}
