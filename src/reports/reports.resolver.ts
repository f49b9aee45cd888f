import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { HeavyReads } from '../../libs/database/bulkhead.js';
import { Connection, PageArgs } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { AccountStatementArgs, BalanceReportArgs, RequestExportInput } from './dto/report.inputs.js';
import { ExportsService } from './exports.service.js';
import {
  AccountStatement,
  AS_OF_RULE,
  BalanceLine,
  BalanceLineConnection,
  BalanceReport,
  CurrencyBalanceReport,
  ExportLink,
} from './models/report.models.js';
import { ReportsService } from './reports.service.js';

@Resolver()
export class ReportsResolver {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ExportsService,
    private readonly heavyReads: HeavyReads,
  ) {}

  @Query(() => BalanceReport, {
    description: `A community's trial balance and balance summary as of an instant (now by default). For its auditors: coordinators, admins, AUDIT_READ partner apps. ${AS_OF_RULE}`,
  })
  balanceReport(@CurrentActor() actor: Actor, @Args() args: BalanceReportArgs): Promise<BalanceReport> {
    return this.heavyReads.run(() => this.reports.balanceReport(actor, args));
  }

  @Query(() => AccountStatement, {
    description: `An account's statement for [from, to): opening balance, its postings with running balances, closing balance. For the holder and the community's auditors. ${AS_OF_RULE}`,
  })
  accountStatement(@CurrentActor() actor: Actor, @Args() args: AccountStatementArgs): Promise<AccountStatement> {
    return this.heavyReads.run(() => this.reports.accountStatement(actor, args));
  }

  @Mutation(() => ExportLink, {
    description: `A link, valid for 5 minutes, to a CSV file of a report, checked as the matching query is; audited. The file is streamed, whatever its size. ${rateLimitNote(RATE_LIMITS.requestExport)}`,
  })
  @RateLimited(RATE_LIMITS.requestExport)
  requestExport(@CurrentActor() actor: Actor, @Args('input') input: RequestExportInput): Promise<ExportLink> {
    return this.exports.requestExport(actor, input);
  }
}

@Resolver(() => CurrencyBalanceReport)
export class CurrencyBalanceReportResolver {
  constructor(
    private readonly reports: ReportsService,
    private readonly heavyReads: HeavyReads,
  ) {}

  @ResolveField(() => BalanceLineConnection, {
    description: 'One line per account, in order of account id; the totals above cover every line, not just this page.',
  })
  lines(@Parent() report: CurrencyBalanceReport, @Args() page: PageArgs): Promise<Connection<BalanceLine>> {
    return this.heavyReads.run(() => this.reports.balanceLines(report, page));
  }
}
