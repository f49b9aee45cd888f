import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { AmountScalar, Int64Scalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AccountErrorCode, TransferErrorCode } from '../ledger.errors.js';
import { AccountKind, AccountStatus, TransferKind } from './ledger-enums.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@NodeType('Currency', {
  idDescription: 'Names this currency; accounts, transfers and reports refer to it by this id.',
  description: 'A unit of account. Amounts are integers in its minor units.',
})
export class Currency {
  id: string;

  communityId: string;

  @Field({ description: 'For example HOUR or MUN.' })
  code: string;

  @Field({ description: 'The name people use, for example "Hour" or "Mun".' })
  name: string;

  @Field({ description: 'A short sign to show beside amounts, for example "h".' })
  symbol: string;

  @Field(() => Int, { description: 'How many minor units make one unit: 60 for an HOUR counted in minutes.' })
  minorUnitsPerUnit: number;
}

@NodeType('Account', {
  idDescription: 'Names this account: pass it as the debit or credit account of a transfer.',
  description: 'Balances are credit-normal: balance = postedCredits - postedDebits.',
})
export class Account {
  id: string;

  currencyId: string;

  @Field(() => AccountKind, { description: 'Whether a member or the community itself holds it.' })
  kind: AccountKind;

  @Field({
    description:
      'A label for people: the member\'s display name, or the currency code and "issuance" or "community pool".',
  })
  name: string;

  @Field(() => AccountStatus, { description: 'Whether the account may send and receive money now.' })
  status: AccountStatus;

  @Field(() => AmountScalar, { description: 'Everything ever posted out of this account, in minor units.' })
  postedDebits: bigint;

  @Field(() => AmountScalar, { description: 'Everything ever posted into this account, in minor units.' })
  postedCredits: bigint;

  @Field(() => AmountScalar, { description: 'Reserved by pending transfers out of this account.' })
  pendingDebits: bigint;

  @Field(() => AmountScalar, { description: 'Reserved by pending transfers into this account.' })
  pendingCredits: bigint;

  @Field(() => AmountScalar, { description: 'postedCredits - postedDebits.' })
  balance: bigint;

  @Field(() => AmountScalar, { description: 'What can still be spent: balance - pendingDebits.' })
  availableBalance: bigint;

  @Field(() => AmountScalar, {
    nullable: true,
    description: 'The lowest the available balance may go; negative is a credit line; null is unbounded.',
  })
  lowerLimit: bigint | null;

  @Field(() => AmountScalar, { nullable: true, description: 'The highest the balance may go; null is no cap.' })
  upperLimit: bigint | null;

  @Field(() => Int64Scalar, {
    description: 'The number of postings on this account; the version of its latest posting.',
  })
  version: bigint;

  @Field({ description: 'When the account was opened.' })
  createdAt: Date;
}

@NodeType('Transfer', {
  idDescription: 'Names this transfer: pass it to post, void or reverse it.',
  description: 'A movement of money from a debit account to a credit account of one currency.',
})
export class Transfer {
  id: string;

  @Field({ description: 'The key its writer chose; sending the same request with it again returns this transfer.' })
  idempotencyKey: string;

  @GlobalIdField('Account', { description: 'The account the amount leaves.' })
  debitAccountId: string;

  @GlobalIdField('Account', { description: 'The account the amount enters.' })
  creditAccountId: string;

  currencyId: string;

  @Field(() => AmountScalar, { description: 'In minor units of the currency; always greater than zero.' })
  amount: bigint;

  @Field({ description: 'What kind of movement this is, e.g. payment or starter_grant.' })
  code: string;

  @Field({ description: 'Free text from the writer, for people; empty when none was given.' })
  memo: string;

  @Field(() => JSONObjectScalar, {
    description: 'The JSON object the writer attached, stored as given; empty when none was given.',
  })
  metadata: Record<string, unknown>;

  @Field(() => TransferKind, {
    description: 'Whether it posted at once, reserves funds, or resolves a pending transfer.',
  })
  kind: TransferKind;

  @GlobalIdField('Transfer', {
    nullable: true,
    description: 'For POST_PENDING and VOID_PENDING: the pending transfer resolved.',
  })
  pendingTransferId: string | null;

  @Field(() => Date, { nullable: true, description: 'For PENDING: when it expires if still open.' })
  timeoutAt: Date | null;

  @GlobalIdField('Transfer', { nullable: true, description: 'For a reversal: the transfer it reverses.' })
  reversesTransferId: string | null;

  @Field(() => String, { nullable: true, description: 'For a reversal: why it was made.' })
  reason: string | null;

  @Field({ description: "For a reversal: whether it was forced past the accounts' limits." })
  forced: boolean;

  @Field({ description: 'When the transfer was written.' })
  createdAt: Date;
}

@NodeType('Posting', {
  idDescription: 'Names this posting: one side of a transfer, on one account.',
  description: "One line of an account's statement: one side of a transfer.",
  node: false,
})
export class Posting {
  id: string;

  @GlobalIdField('Transfer', { description: 'The transfer this posting is one side of.' })
  transferId: string;

  @GlobalIdField('Account', { description: 'The account whose balance this posting changed.' })
  accountId: string;

  @GlobalIdField('Account', { description: 'The account on the other side of the transfer.' })
  counterpartyAccountId: string;

  @Field(() => AmountScalar, { description: 'Negative for a debit, positive for a credit.' })
  amount: bigint;

  @Field(() => AmountScalar, { description: "The account's balance after this posting." })
  balanceAfter: bigint;

  @Field(() => Int64Scalar, { description: 'Postings of an account are numbered 1, 2, 3… with no gap.' })
  accountVersion: bigint;

  @Field({ description: 'The code of its transfer, for example payment.' })
  code: string;

  @Field({ description: 'The memo of its transfer.' })
  memo: string;

  @Field({ description: 'When its transfer was written.' })
  createdAt: Date;
}

@ObjectType({
  description:
    "An account's postings, oldest first. No totalCount: an account's history grows for ever; accountStatement's lineCount counts the postings of a period.",
})
export class PostingConnection extends ConnectionType(Posting, 'Posting') {}

@ObjectType({
  description:
    "Transfers, newest first. No totalCount: a busy currency's transfers run to millions of rows, which no count on every page should read; narrow the page with from/to, or export them (requestExport TRANSFERS).",
})
export class TransferConnection extends ConnectionType(Transfer, 'Transfer') {}

@ObjectType({
  description:
    "A currency's accounts, in order of opening. No totalCount: no index serves a count of one currency's member accounts; balanceReport's accountCount gives it per kind.",
})
export class AccountConnection extends ConnectionType(Account, 'Account') {}

@ObjectType({ description: 'The accounts of one kind in a currency, summed.' })
export class TrialBalanceLine {
  @Field(() => AccountKind, { description: 'Which accounts this line sums.' })
  kind: AccountKind;

  @Field(() => Int, { description: 'How many accounts of this kind the currency has.' })
  accountCount: number;

  @Field(() => AmountScalar, { description: 'Their posted debits together, in minor units.' })
  postedDebits: bigint;

  @Field(() => AmountScalar, { description: 'Their posted credits together, in minor units.' })
  postedCredits: bigint;

  @Field(() => AmountScalar, { description: 'Their balances together: postedCredits - postedDebits.' })
  balance: bigint;
}

@ObjectType({ description: "A currency's balances summed per account kind. In a sound ledger the total is zero." })
export class TrialBalance {
  @Field(() => Currency, { description: 'The currency summed.' })
  currency: Currency;

  @Field(() => [TrialBalanceLine], { description: 'One line per account kind.' })
  lines: TrialBalanceLine[];

  @Field(() => AmountScalar, { description: "The sum of the lines' balances; zero in a sound ledger." })
  total: bigint;

  @Field({ description: 'True when the total is zero and debits equal credits.' })
  balanced: boolean;

  @Field({ description: 'The instant the sums were read at.' })
  asOf: Date;
}

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class TransferUserError {
  @Field(() => TransferErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: TransferErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;

  @Field(() => TransferErrorCode, {
    nullable: true,
    description:
      'With IDEMPOTENCY_KEY_ALREADY_FAILED: the refusal the same request got when this key was first used, e.g. EXCEEDS_LOWER_LIMIT. Null otherwise.',
  })
  originalCode?: TransferErrorCode | null;
}

@ObjectType({ description: 'The outcome of one transfer: the transfer, or why it was refused.' })
export class CreateTransferPayload {
  @Field(() => Transfer, {
    nullable: true,
    description: 'The transfer, new or (on replay) the original. Null when refused.',
  })
  transfer: Transfer | null;

  @Field({ description: 'True when this key was seen before and the original transfer is returned.' })
  replayed: boolean;

  @Field(() => [TransferUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: TransferUserError[];
}

@ObjectType({
  description: 'The outcome of a batch: one result per transfer. In a LINKED batch, one refusal refuses them all.',
})
export class CreateTransfersPayload {
  @Field(() => [CreateTransferPayload], { description: 'One result per transfer, in the order given.' })
  results: CreateTransferPayload[];

  @Field(() => [TransferUserError], {
    description:
      "Refusals of the whole batch: its input's validation (INVALID_INPUT, with the path of each field at fault), and then `results` is empty. Each transfer's own refusals are in its result.",
  })
  userErrors: TransferUserError[];
}

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class AccountUserError {
  @Field(() => AccountErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: AccountErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({ description: 'The account as changed, or why the change was refused.' })
export class AccountPayload {
  @Field(() => Account, { nullable: true, description: 'The account after the change; null when refused.' })
  account: Account | null;

  @Field(() => [AccountUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: AccountUserError[];
}
