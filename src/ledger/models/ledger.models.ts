import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { AmountScalar, Int64Scalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AccountErrorCode, TransferErrorCode } from '../ledger.errors.js';
import { AccountKind, AccountStatus, TransferKind } from './ledger-enums.js';

@ObjectType({ description: 'A unit of account. Amounts are integers in its minor units.' })
export class Currency {
  @Field(() => ID)
  id: string;

  communityId: string;

  @Field({ description: 'For example HOUR or MUN.' })
  code: string;

  @Field()
  name: string;

  @Field()
  symbol: string;

  @Field(() => Int, { description: 'How many minor units make one unit: 60 for an HOUR counted in minutes.' })
  minorUnitsPerUnit: number;
}

@ObjectType({ description: 'Balances are credit-normal: balance = postedCredits - postedDebits.' })
export class Account {
  @Field(() => ID)
  id: string;

  currencyId: string;

  @Field(() => AccountKind)
  kind: AccountKind;

  @Field()
  name: string;

  @Field(() => AccountStatus)
  status: AccountStatus;

  @Field(() => AmountScalar)
  postedDebits: bigint;

  @Field(() => AmountScalar)
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

  @Field()
  createdAt: Date;
}

@ObjectType({ description: 'A movement of money from a debit account to a credit account of one currency.' })
export class Transfer {
  @Field(() => ID)
  id: string;

  @Field()
  idempotencyKey: string;

  @Field(() => ID)
  debitAccountId: string;

  @Field(() => ID)
  creditAccountId: string;

  currencyId: string;

  @Field(() => AmountScalar)
  amount: bigint;

  @Field({ description: 'What kind of movement this is, e.g. payment or starter_grant.' })
  code: string;

  @Field()
  memo: string;

  @Field(() => JSONObjectScalar)
  metadata: Record<string, unknown>;

  @Field(() => TransferKind)
  kind: TransferKind;

  @Field(() => ID, { nullable: true, description: 'For POST_PENDING and VOID_PENDING: the pending transfer resolved.' })
  pendingTransferId: string | null;

  @Field(() => Date, { nullable: true, description: 'For PENDING: when it expires if still open.' })
  timeoutAt: Date | null;

  @Field(() => ID, { nullable: true, description: 'For a reversal: the transfer it reverses.' })
  reversesTransferId: string | null;

  @Field(() => String, { nullable: true, description: 'For a reversal: why it was made.' })
  reason: string | null;

  @Field({ description: "For a reversal: whether it was forced past the accounts' limits." })
  forced: boolean;

  @Field()
  createdAt: Date;
}

@ObjectType({ description: "One line of an account's statement: one side of a transfer." })
export class Posting {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  transferId: string;

  @Field(() => ID)
  accountId: string;

  @Field(() => ID, { description: 'The account on the other side of the transfer.' })
  counterpartyAccountId: string;

  @Field(() => AmountScalar, { description: 'Negative for a debit, positive for a credit.' })
  amount: bigint;

  @Field(() => AmountScalar, { description: "The account's balance after this posting." })
  balanceAfter: bigint;

  @Field(() => Int64Scalar, { description: 'Postings of an account are numbered 1, 2, 3… with no gap.' })
  accountVersion: bigint;

  @Field()
  code: string;

  @Field()
  memo: string;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class PostingConnection extends ConnectionType(Posting, 'Posting') {}

@ObjectType()
export class TransferConnection extends ConnectionType(Transfer, 'Transfer') {}

@ObjectType()
export class AccountConnection extends ConnectionType(Account, 'Account') {}

@ObjectType()
export class TrialBalanceLine {
  @Field(() => AccountKind)
  kind: AccountKind;

  @Field(() => Int)
  accountCount: number;

  @Field(() => AmountScalar)
  postedDebits: bigint;

  @Field(() => AmountScalar)
  postedCredits: bigint;

  @Field(() => AmountScalar)
  balance: bigint;
}

@ObjectType({ description: "A currency's balances summed per account kind. In a sound ledger the total is zero." })
export class TrialBalance {
  @Field(() => Currency)
  currency: Currency;

  @Field(() => [TrialBalanceLine])
  lines: TrialBalanceLine[];

  @Field(() => AmountScalar)
  total: bigint;

  @Field({ description: 'True when the total is zero and debits equal credits.' })
  balanced: boolean;

  @Field()
  asOf: Date;
}

@ObjectType({ implements: () => [UserErrorInterface] })
export class TransferUserError {
  @Field(() => TransferErrorCode)
  code: TransferErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
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

  @Field(() => [TransferUserError])
  userErrors: TransferUserError[];
}

@ObjectType()
export class CreateTransfersPayload {
  @Field(() => [CreateTransferPayload], { description: 'One result per transfer, in the order given.' })
  results: CreateTransferPayload[];

  @Field(() => [TransferUserError], {
    description:
      "Refusals of the whole batch: its input's validation (INVALID_INPUT, with the path of each field at fault), and then `results` is empty. Each transfer's own refusals are in its result.",
  })
  userErrors: TransferUserError[];
}

@ObjectType({ implements: () => [UserErrorInterface] })
export class AccountUserError {
  @Field(() => AccountErrorCode)
  code: AccountErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType({ description: 'The account as changed, or why the change was refused.' })
export class AccountPayload {
  @Field(() => Account, { nullable: true })
  account: Account | null;

  @Field(() => [AccountUserError])
  userErrors: AccountUserError[];
}
