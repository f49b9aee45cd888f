import { Injectable } from '@nestjs/common';
import { InvalidInput } from '../../libs/graphql/invalid-input.js';
import {
  Connection,
  CountedConnection,
  decodeCursor,
  PageArgs,
  toConnection,
  withTotalCount,
} from '../../libs/graphql/pagination.js';
import { AccessPolicy } from '../access/access.policy.js';
import type { AccountFacts } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { AuthorizedLedgerService } from '../ledger/authorized-ledger.service.js';
import { LedgerService } from '../ledger/ledger.service.js';
import { Currency } from '../ledger/models/ledger.models.js';
import { AccountKind } from '../ledger/models/ledger-enums.js';
import { AccountStatementArgs, BalanceReportArgs, StatementLinesArgs } from './dto/report.inputs.js';
import {
  AccountKindBalances,
  AccountStatement,
  BalanceLine,
  BalanceReport,
  CurrencyBalanceReport,
  StatementLine,
} from './models/report.models.js';
import {
  balanceLinesQuery,
  KindTotals,
  Period,
  ReportsRepository,
  statementLinesQuery,
  toBalanceLine,
  toStatementLine,
} from './reports.repository.js';

/** How a viewer sees statement lines: with the other side's account, or without it. */
export type LineView = (line: StatementLine) => StatementLine | Promise<StatementLine>;

/**
 * The exclusive bound that counts everything at or before `instant`. Clients see milliseconds and
 * the database keeps microseconds: a posting belongs to the millisecond it shows, as in the ledger's
 * Account.balanceAt.
 */
export function throughInstant(instant: Date): Date {
  return new Date(instant.getTime() + 1);
}

const KIND_ORDER = [AccountKind.ISSUANCE, AccountKind.POOL, AccountKind.MEMBER];

function kindBalances(kind: AccountKind, totals: KindTotals | undefined): AccountKindBalances {
  const zero = {
    accountCount: 0,
    debits: 0n,
    credits: 0n,
    positiveBalances: 0n,
    negativeBalances: 0n,
    accountsInDebt: 0,
  };
  const { accountCount, debits, credits, positiveBalances, negativeBalances, accountsInDebt } = totals ?? zero;
  return {
    kind,
    accountCount,
    debits,
    credits,
    balance: credits - debits,
    positiveBalances,
    negativeBalances,
    accountsInDebt,
  };
}

function currencyReport(currency: Currency, asOf: Date, totals: KindTotals[]): CurrencyBalanceReport {
  const byKind = KIND_ORDER.map((kind) =>
    kindBalances(
      kind,
      totals.find((line) => line.kind === kind),
    ),
  );
  const sum = (pick: (kind: AccountKindBalances) => bigint): bigint =>
    byKind.reduce((total, kind) => total + pick(kind), 0n);
  const totalDebits = sum((kind) => kind.debits);
  const totalCredits = sum((kind) => kind.credits);
  return {
    currency,
    asOf,
    byKind,
    totalDebits,
    totalCredits,
    totalBalance: totalCredits - totalDebits,
    balanced: totalDebits === totalCredits,
    accountCount: byKind.reduce((count, kind) => count + kind.accountCount, 0),
  };
}

/**
 * Balance reports and statements. Every figure comes from the repository's one definition of a
 * balance at an instant, so that reports, statements and exports agree by construction. Access is
 * the ledger's: a community's auditors for its balance report, an account's holder and auditors for
 * its statement.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly access: AccessPolicy,
    private readonly ledger: LedgerService,
    private readonly authorized: AuthorizedLedgerService,
  ) {}

  /** Coordinators and admins of the community, and partner apps with AUDIT_READ on it. */
  requireCommunityAuditor(actor: Actor, communityId: string): Promise<void> {
    return this.access.requireAuditor(actor, communityId);
  }

  /** The account's holder and its community's auditors, as for the ledger's own statement. */
  requireStatementReader(actor: Actor, accountId: string): Promise<AccountFacts> {
    return this.access.requireAccount(actor, accountId, (facts) => this.access.mayReadHistory(actor, facts));
  }

  async balanceReport(actor: Actor, args: BalanceReportArgs): Promise<BalanceReport> {
    await this.requireCommunityAuditor(actor, args.communityId);
    const asOf = await this.asOf(args.asOf);
    const [currencies, totals] = await Promise.all([
      this.ledger.currenciesOf(args.communityId),
      this.reports.kindTotals(args.communityId, throughInstant(asOf)),
    ]);
    return {
      communityId: args.communityId,
      asOf,
      currencies: currencies.map((currency) =>
        currencyReport(
          currency,
          asOf,
          totals.filter((line) => line.currencyId === currency.id),
        ),
      ),
    };
  }

  /** A page of a currency report's lines; the report itself was authorised when it was made. */
  async balanceLines(report: CurrencyBalanceReport, page: PageArgs): Promise<Connection<BalanceLine>> {
    const afterAccountId = decodeCursor(page.after);
    const query = balanceLinesQuery({
      communityId: report.currency.communityId,
      currencyId: report.currency.id,
      before: throughInstant(report.asOf),
      afterAccountId,
      limit: page.first + 1,
    });
    const rows = await this.reports.page(query, toBalanceLine);
    return toConnection(
      rows,
      page.first,
      (line) => BigInt(line.accountId),
      (line) => line,
      afterAccountId === undefined,
    );
  }

  async accountStatement(actor: Actor, args: AccountStatementArgs): Promise<AccountStatement> {
    const facts = await this.requireStatementReader(actor, args.accountId);
    const period = await this.period(args.from, args.to);
    // A bad cursor is refused here, as it was before lines took paging arguments of their own.
    decodeCursor(args.after);
    const [account, totals] = await Promise.all([
      this.ledger.findAccount(args.accountId),
      this.reports.statementTotals(args.accountId, period),
    ]);
    return {
      account: account!,
      ...period,
      ...totals,
      communityId: facts.communityId,
      requestedPage: { first: args.first, after: args.after },
    };
  }

  /**
   * A page of the statement's lines, for the reader the statement was made for. Each line's
   * running balance is its posting's own balance after, so it is right on whatever page it falls;
   * the page keeps to the versions the statement's totals span.
   */
  async statementLines(
    actor: Actor,
    statement: AccountStatement,
    page: StatementLinesArgs,
  ): Promise<CountedConnection<StatementLine>> {
    const first = page.first ?? statement.requestedPage.first;
    const cursorVersion = decodeCursor(page.after ?? statement.requestedPage.after);
    const query = statementLinesQuery({
      accountId: statement.account.id,
      period: statement,
      afterVersion:
        cursorVersion !== undefined && cursorVersion > statement.afterVersion ? cursorVersion : statement.afterVersion,
      throughVersion: statement.throughVersion,
      limit: first + 1,
    });
    const [lines, view] = await Promise.all([
      this.reports.page(query, toStatementLine),
      this.lineView(actor, statement.communityId),
    ]);
    const shown = await Promise.all(lines.map(view));
    const connection = toConnection(
      shown,
      first,
      (line) => line.accountVersion,
      (line) => line,
      cursorVersion === undefined,
    );
    return withTotalCount(connection, () => Promise.resolve(statement.lineCount));
  }

  /** Now by the database's clock when omitted: the clock that stamps postings, the same for every replica. */
  async asOf(requested: Date | undefined): Promise<Date> {
    return requested ?? (await this.reports.now());
  }

  /**
   * [from, to): `to` omitted is now (inclusive); `from` omitted is the beginning. InvalidInput when
   * from is after to; `argument` names the input holding them, if they are not arguments themselves.
   */
  async period(from: Date | undefined, to: Date | undefined, argument?: string): Promise<Period> {
    const end = to ?? throughInstant(await this.reports.now());
    if (from && from > end)
      throw new InvalidInput(
        [{ field: 'from', message: `from must not be after to${to ? '' : ' (now, when to is omitted)'}` }],
        argument,
      );
    return { from: from ?? null, to: end };
  }

  /**
   * Auditors see the other side of every line. Anyone else (an account's holder) sees it only where
   * the ledger would show them that account, as Transfer.debitAccount and creditAccount do.
   */
  async lineView(actor: Actor, communityId: string): Promise<LineView> {
    if (await this.access.mayAudit(actor, communityId)) return (line) => line;
    return async (line) =>
      line.counterpartyAccountId && (await this.authorized.mayReadAccount(actor, line.counterpartyAccountId))
        ? line
        : { ...line, counterpartyAccountId: null };
  }
}
