import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ConnectionType, PageRequest } from '../../../libs/graphql/pagination.js';
import { AmountScalar, Int64Scalar } from '../../../libs/graphql/scalars.js';
import { Account, Currency } from '../../ledger/models/ledger.models.js';
import { AccountKind, TransferKind } from '../../ledger/models/ledger-enums.js';
import { userErrorType } from '../../../libs/graphql/user-errors.js';
import { ReportErrorCode } from '../reports.errors.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';

/** How every report here counts: said once, so that each description can point at it. */
export const AS_OF_RULE =
  'A balance as of an instant is the sum of the postings created at or before it (to the millisecond). Pending transfers have no postings (they only reserve) and count nowhere until posted.';

@ObjectType({ description: "One account's line of a balance report." })
export class BalanceLine {
  @GlobalIdField('Account', { description: 'The account on this line.' })
  accountId: string;

  currencyId: string;

  /** For exports, which list every currency of a community. */
  currencyCode: string;

  @Field(() => AccountKind, { description: 'Whether a member or the community holds the account.' })
  kind: AccountKind;

  @Field({ description: "The account's label for people." })
  name: string;

  @GlobalIdField('Member', { nullable: true, description: 'The member holding the account; null for system accounts.' })
  memberId: string | null;

  @Field(() => String, { nullable: true, description: "The holder's display name; null for system accounts." })
  memberDisplayName: string | null;

  @Field(() => AmountScalar, { description: 'Posted debits as of the instant.' })
  debits: bigint;

  @Field(() => AmountScalar, { description: 'Posted credits as of the instant.' })
  credits: bigint;

  @Field(() => AmountScalar, { description: 'credits - debits as of the instant.' })
  balance: bigint;
}

@ObjectType({
  description:
    'One balance line per account, in order of account id. No totalCount: CurrencyBalanceReport.accountCount already counts every line.',
})
export class BalanceLineConnection extends ConnectionType(BalanceLine, 'BalanceLine') {}

@ObjectType({ description: 'The balances of one kind of account (issuance, pool or members), summed.' })
export class AccountKindBalances {
  @Field(() => AccountKind, { description: 'Which accounts are summed.' })
  kind: AccountKind;

  @Field(() => Int, { description: 'How many accounts of this kind the currency has.' })
  accountCount: number;

  @Field(() => AmountScalar, { description: 'Their posted debits as of the instant, summed.' })
  debits: bigint;

  @Field(() => AmountScalar, { description: 'Their posted credits as of the instant, summed.' })
  credits: bigint;

  @Field(() => AmountScalar, { description: 'The sum of the balances: positiveBalances + negativeBalances.' })
  balance: bigint;

  @Field(() => AmountScalar, { description: 'The sum of the balances above zero.' })
  positiveBalances: bigint;

  @Field(() => AmountScalar, { description: 'The sum of the balances below zero (zero or negative).' })
  negativeBalances: bigint;

  @Field(() => Int, { description: 'How many accounts have a balance below zero.' })
  accountsInDebt: number;
}

@ObjectType({ description: `A trial balance of one currency as of an instant. ${AS_OF_RULE}` })
export class CurrencyBalanceReport {
  @Field(() => Currency, { description: 'The currency reported on.' })
  currency: Currency;

  @Field({ description: 'The instant the balances are taken at (inclusive).' })
  asOf: Date;

  @Field(() => Int, { description: 'How many accounts the currency has, of every kind.' })
  accountCount: number;

  @Field(() => AmountScalar, { description: 'Over every account, not just a page of lines.' })
  totalDebits: bigint;

  @Field(() => AmountScalar, {
    description: 'Posted credits of every account as of the instant, not just a page of lines.',
  })
  totalCredits: bigint;

  @Field(() => AmountScalar, { description: 'The sum of every balance: zero in a sound ledger.' })
  totalBalance: bigint;

  @Field({ description: 'True when total debits equal total credits, so that the balances sum to zero.' })
  balanced: boolean;

  @Field(() => [AccountKindBalances], { description: 'One summary per account kind: issuance, pool, members.' })
  byKind: AccountKindBalances[];
}

@ObjectType({
  description: `A community's balance report (trial balance and balance summary) as of an instant. For its auditors. ${AS_OF_RULE}`,
})
export class BalanceReport {
  @GlobalIdField('Community', { description: 'The community reported on.' })
  communityId: string;

  @Field({ description: 'The instant the balances are taken at (inclusive).' })
  asOf: Date;

  @Field(() => [CurrencyBalanceReport], { description: 'One per currency of the community (usually one).' })
  currencies: CurrencyBalanceReport[];
}

@ObjectType({ description: "One posting of an account's statement." })
export class StatementLine {
  @GlobalIdField('Posting', { description: 'The posting on this line.' })
  postingId: string;

  @GlobalIdField('Transfer', { description: 'The transfer the posting is one side of.' })
  transferId: string;

  accountId: string;

  @Field(() => TransferKind, { description: 'DIRECT, or POST_PENDING for a hold that was posted.' })
  transferKind: TransferKind;

  @GlobalIdField('Account', {
    nullable: true,
    description:
      "The account on the other side; null when you may not see it (another member's, where balances are private).",
  })
  counterpartyAccountId: string | null;

  @Field({ description: "The transfer's code, for example payment or starter_grant." })
  code: string;

  @Field({ description: "The transfer's memo." })
  memo: string;

  @Field(() => AmountScalar, { description: 'Negative for a debit, positive for a credit.' })
  amount: bigint;

  @Field(() => AmountScalar, { description: 'The running balance: the balance after this posting.' })
  balanceAfter: bigint;

  @Field(() => Int64Scalar, { description: "The posting's number in the account's history (1, 2, 3...)." })
  accountVersion: bigint;

  @Field({ description: 'When the transfer was written.' })
  createdAt: Date;
}

@ObjectType({
  description:
    "A page of a statement's lines, oldest first. Each line carries the account's running balance after it, so a page that starts mid-statement shows the true balances; openingBalance and closingBalance describe the whole period, whichever page this is.",
})
export class StatementLineConnection extends ConnectionType(StatementLine, 'StatementLine', { totalCount: true }) {}

@ObjectType({
  description: `An account's statement for the period [from, to): closingBalance = openingBalance + the sum of the lines. ${AS_OF_RULE}`,
})
export class AccountStatement {
  @Field(() => Account, { description: 'The account the statement is of.' })
  account: Account;

  @Field(() => Date, { nullable: true, description: 'Inclusive start; null for the beginning of the account.' })
  from: Date | null;

  @Field({ description: 'Exclusive end. closingBalance is the balance as of the millisecond before it.' })
  to: Date;

  @Field(() => AmountScalar, { description: 'The sum of the postings before `from`.' })
  openingBalance: bigint;

  @Field(() => AmountScalar, { description: 'The sum of the postings before `to`.' })
  closingBalance: bigint;

  @Field(() => AmountScalar, { description: 'Debits within the period.' })
  debits: bigint;

  @Field(() => AmountScalar, { description: 'Credits within the period.' })
  credits: bigint;

  @Field(() => Int, { description: 'How many postings the period holds (every page together).' })
  lineCount: number;

  // `lines` is resolved on demand (AccountStatementResolver), from what the statement was made of:
  /** The account's versions the period spans, (afterVersion, throughVersion]: the lines are exactly these. */
  afterVersion: bigint;
  throughVersion: bigint;
  /** The community of the account, whose auditors see the other side of every line. */
  communityId: string;
  /** The deprecated paging arguments of accountStatement, which lines falls back on. */
  requestedPage: PageRequest;
}

export enum ExportKind {
  STATEMENT = 'statement',
  TRANSFERS = 'transfers',
  BALANCES = 'balances',
}
registerEnumType(ExportKind, {
  name: 'ExportKind',
  description: 'What a CSV export holds.',
  valuesMap: {
    STATEMENT: {
      description: "An account's statement lines for [from, to), as accountStatement gives them. Needs accountId.",
    },
    TRANSFERS: {
      description:
        "The community's transfers created in [from, to), oldest first, each with the accounts it debits and credits; holds and voids included, marked by kind.",
    },
    BALANCES: { description: 'The lines of balanceReport as of asOf, every currency of the community.' },
  },
});

@ObjectType({ description: 'A short-lived link to a CSV file: GET it, with no credentials, before it expires.' })
export class ExportLink {
  @Field({
    description: 'Anyone holding it may download the file until it expires: share it no further than the data.',
  })
  url: string;

  @Field({ description: 'When the link stops working: 5 minutes after it was issued.' })
  expiresAt: Date;

  @Field(() => ExportKind, { description: 'What the file holds.' })
  kind: ExportKind;

  @Field({ description: 'The name the file is served under.' })
  filename: string;
}

export const ReportUserError = userErrorType(
  ReportErrorCode,
  'ReportUserError',
  'Why an export link was refused: nothing was changed.',
);
export type ReportUserError = InstanceType<typeof ReportUserError>;

@ObjectType({ description: 'A link to a CSV export, or why none was made.' })
export class RequestReportExportPayload {
  @Field(() => ExportLink, { nullable: true, description: 'The link, valid for 5 minutes. Null when refused.' })
  link: ExportLink | null;

  @Field(() => [ReportUserError], { description: 'Empty when the link was made.' })
  userErrors: ReportUserError[];
}
