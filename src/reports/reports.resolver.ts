import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection, PageArgs } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import {
  AccountStatementArgs,
  BalanceReportArgs,
  RequestExportInput,
  RequestReportExportInput,
} from './dto/report.inputs.js';
import { ExportsService } from './exports.service.js';
import {
  AccountStatement,
  AS_OF_RULE,
  BalanceLine,
  BalanceLineConnection,
  BalanceReport,
  CurrencyBalanceReport,
  ExportLink,
  RequestReportExportPayload,
} from './models/report.models.js';
import { ReportsService } from './reports.service.js';

@Resolver()
export class ReportsResolver {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ExportsService,
  ) {}

  @Query(() => BalanceReport, {
    description: `A community's trial balance and balance summary as of an instant (now by default). For its auditors: coordinators, admins, AUDIT_READ partner apps. ${AS_OF_RULE}`,
  })
  balanceReport(@CurrentActor() actor: Actor, @Args() args: BalanceReportArgs): Promise<BalanceReport> {
    return this.reports.balanceReport(actor, args);
  }

  @Query(() => AccountStatement, {
    description: `An account's statement for [from, to): opening balance, its postings with running balances, closing balance. For the holder and the community's auditors. ${AS_OF_RULE}`,
  })
  accountStatement(@CurrentActor() actor: Actor, @Args() args: AccountStatementArgs): Promise<AccountStatement> {
    return this.reports.accountStatement(actor, args);
  }

  @Mutation(() => ExportLink, {
    description: `A link, valid for 5 minutes, to a CSV file of a report, checked as the matching query is; audited. The file is streamed, whatever its size. ${rateLimitNote(RATE_LIMITS.requestExport)}`,
    deprecationReason: replacedBy('requestReportExport'),
  })
  @RateLimited(RATE_LIMITS.requestExport)
  requestExport(@CurrentActor() actor: Actor, @Args('input') input: RequestExportInput): Promise<ExportLink> {
    return this.exports.requestExport(actor, input);
  }

  @Mutation(() => RequestReportExportPayload, {
    description: `A link, valid for 5 minutes, to a CSV file of a report, checked as the matching query is; audited. The file is streamed, whatever its size. Its rate limit is requestExport's, counted together. ${rateLimitNote(RATE_LIMITS.requestExport)}`,
  })
  @RateLimited(RATE_LIMITS.requestExport)
  async requestReportExport(
    @CurrentActor() actor: Actor,
    @Args('input') input: RequestReportExportInput,
  ): Promise<RequestReportExportPayload> {
    return { link: await this.exports.requestExport(actor, input), userErrors: [] };
  }
}

@Resolver(() => CurrencyBalanceReport)
export class CurrencyBalanceReportResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => BalanceLineConnection, {
    description: 'One line per account, in order of account id; the totals above cover every line, not just this page.',
  })
  lines(@Parent() report: CurrencyBalanceReport, @Args() page: PageArgs): Promise<Connection<BalanceLine>> {
    return this.reports.balanceLines(report, page);
  }
}
