import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { HeavyReads } from '../../libs/database/bulkhead.js';
import { Connection, CountedConnection, PageArgs } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { AuthorizedLedgerService } from '../ledger/authorized-ledger.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Account, Posting, Transfer } from '../ledger/models/ledger.models.js';
import { MembersService } from '../members/members.service.js';
import { Member, visibleMemberNote } from '../members/models/member.models.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import {
  AccountStatementArgs,
  BalanceReportArgs,
  RequestExportInput,
  StatementLinesArgs,
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
  StatementLine,
  StatementLineConnection,
  RequestReportExportPayload,
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
    deprecationReason: replacedBy('requestReportExport'),
  })
  @RateLimited(RATE_LIMITS.requestExport)
  requestExport(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The report to export and its parameters.' }) input: RequestExportInput,
  ): Promise<ExportLink> {
    return this.exports.requestExport(actor, input);
  }

  @Mutation(() => RequestReportExportPayload, {
    description: `A link, valid for 5 minutes, to a CSV file of a report, checked as the matching query is; audited. The file is streamed, whatever its size. Its rate limit is requestExport's, counted together. ${rateLimitNote(RATE_LIMITS.requestExport)}`,
  })
  @RateLimited(RATE_LIMITS.requestExport)
  async requestReportExport(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The report to export, and its parameters.' }) input: RequestReportExportInput,
  ): Promise<RequestReportExportPayload> {
    return { link: await this.exports.requestExport(actor, input), userErrors: [] };
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

/** Balance reports are for their community's auditors, who may read every account of it. */
@Resolver(() => BalanceLine)
export class BalanceLineResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly members: MembersService,
  ) {}

  @ResolveField(() => Account, { description: 'The account (the object of `accountId`), as it is now.' })
  async account(@Parent() line: BalanceLine, @Context() context: object): Promise<Account> {
    return this.ledger.accountNamedBy(context, line.accountId);
  }

  /** A member who has left every community of theirs is no longer anyone's to see but admins'. */
  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('memberId') })
  member(
    @CurrentActor() actor: Actor,
    @Parent() line: BalanceLine,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.members.visibleMemberOrNull(actor, line.memberId, context);
  }
}

@Resolver(() => BalanceReport)
export class BalanceReportResolver {
  constructor(private readonly communities: CommunitiesService) {}

  @ResolveField(() => Community, { description: 'The community reported on (the object of `communityId`). Public.' })
  community(@Parent() report: BalanceReport, @Context() context: object): Promise<Community> {
    return this.communities.load(context, report.communityId);
  }
}

/** A statement is for its account's holder and auditors: its own postings and transfers are theirs to see. */
@Resolver(() => StatementLine)
export class StatementLineResolver {
  constructor(
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
  ) {}

  @ResolveField(() => Posting, { description: 'The posting this line shows (the object of `postingId`).' })
  async posting(@Parent() line: StatementLine, @Context() context: object): Promise<Posting> {
    return (await this.ledger.loadersFor(context).posting.load(line.postingId))!;
  }

  @ResolveField(() => Transfer, { description: 'The transfer of the posting (the object of `transferId`).' })
  async transfer(@Parent() line: StatementLine, @Context() context: object): Promise<Transfer> {
    return this.ledger.transferNamedBy(context, line.transferId);
  }

  @ResolveField(() => Account, {
    nullable: true,
    description:
      "The account on the other side (the object of `counterpartyAccountId`); null when you may not see it (another member's, where balances are private).",
  })
  counterpartyAccount(
    @CurrentActor() actor: Actor,
    @Parent() line: StatementLine,
    @Context() context: object,
  ): Promise<Account | null> {
    const { counterpartyAccountId } = line;
    return counterpartyAccountId === null
      ? Promise.resolve(null)
      : this.authorized.visibleAccount(actor, counterpartyAccountId, context);
  }
}

@Resolver(() => AccountStatement)
export class AccountStatementResolver {
  constructor(private readonly reports: ReportsService) {}

  @ResolveField(() => StatementLineConnection, {
    description:
      'The postings of the period, oldest first, a page at a time: page with first and after here. Each line shows the running balance after it, right on every page.',
  })
  lines(
    @CurrentActor() actor: Actor,
    @Parent() statement: AccountStatement,
    @Args() page: StatementLinesArgs,
  ): Promise<CountedConnection<StatementLine>> {
    return this.reports.statementLines(actor, statement, page);
  }
}
