import { ArgsType, Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsEnum,
  IsInt,
  IsObject,
  IsOptional,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { DateRangePageArgs, PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { SYSTEM_CODES } from '../ledger-caller.js';
import { AccountKind, BatchMode } from '../models/ledger-enums.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;
const IDEMPOTENCY_KEY_MESSAGE = 'idempotencyKey must be 1-128 printable ASCII characters without spaces';
const IDEMPOTENCY_KEY_DESCRIPTION =
  'Chosen by the client, unique per intended write: 1-128 printable ASCII characters (a UUID fits). Retrying with the same key is safe. ' +
  "Keys are the caller's own: a member's, and a partner app's acting for that member, never meet anyone else's.";
export const MAX_BATCH_SIZE = 1000;
/** A week: holds outliving that should be renewed deliberately. */
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/** What every write carries: the client's key, a memo and metadata. */
@InputType({ isAbstract: true })
abstract class LedgerWriteInput {
  @Field({ description: IDEMPOTENCY_KEY_DESCRIPTION })
  @Matches(IDEMPOTENCY_KEY, { message: IDEMPOTENCY_KEY_MESSAGE })
  idempotencyKey: string;

  @Field({ defaultValue: '', description: 'Free text for people, at most 500 characters.' })
  @MaxLength(500)
  memo: string = '';

  @Field(() => JSONObjectScalar, {
    nullable: true,
    description: 'Any JSON object for your own use (an order number, say); stored and returned as given.',
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

@InputType({ description: 'One transfer: who pays whom, how much, and its idempotency key.' })
export class CreateTransferInput extends LedgerWriteInput {
  @GlobalIdInput('Account', {
    description:
      "The account to pay from: your own (while your membership is active), or, for coordinators and admins, the community's issuance or pool account.",
  })
  @IsDatabaseId()
  debitAccountId: string;

  @GlobalIdInput('Account', { description: 'The account to pay into; of the same currency as the debit account.' })
  @IsDatabaseId()
  creditAccountId: string;

  @Field(() => AmountScalar, { description: 'In minor units; must be greater than zero.' })
  @Allow() // The Amount scalar has already parsed it exactly; its sign is a ledger rule (AMOUNT_MUST_BE_POSITIVE).
  amount: bigint;

  @Field({
    defaultValue: 'payment',
    description: `Lower-case kind of movement, e.g. payment or gift. Codes the system writes itself are refused (RESERVED_CODE): ${Object.values(SYSTEM_CODES).join(', ')}.`,
  })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'code must be lower_snake_case, at most 64 characters' })
  code: string = 'payment';

  @Field({ defaultValue: false, description: 'Reserve the funds now, and post or void later.' })
  @IsOptional()
  @IsBoolean()
  pending?: boolean;

  @Field(() => Int, {
    nullable: true,
    description: `For a pending transfer: seconds until it expires, 1 to ${MAX_TIMEOUT_SECONDS}.`,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_TIMEOUT_SECONDS)
  timeoutSeconds?: number;
}

@InputType({ description: 'Several transfers in one request, applied in order.' })
export class CreateTransfersInput {
  @Field(() => BatchMode, { description: 'Whether the transfers succeed or fail together.' })
  @IsEnum(BatchMode)
  mode: BatchMode;

  @Field(() => [CreateTransferInput], { description: `1 to ${MAX_BATCH_SIZE} transfers.` })
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SIZE)
  @ValidateNested({ each: true })
  @Type(() => CreateTransferInput)
  transfers: CreateTransferInput[];
}

@InputType({ description: 'Posts an open pending transfer, in full or in part.' })
export class PostPendingTransferInput extends LedgerWriteInput {
  @GlobalIdInput('Transfer', { description: 'The PENDING transfer to post; it must still be open.' })
  @IsDatabaseId()
  pendingTransferId: string;

  @Field(() => AmountScalar, {
    nullable: true,
    description: 'Post this much (at most the pending amount) and release the rest; omitted posts in full.',
  })
  @Allow()
  amount?: bigint;
}

@InputType({ description: 'Releases an open pending transfer without paying anything.' })
export class VoidPendingTransferInput extends LedgerWriteInput {
  @GlobalIdInput('Transfer', { description: 'The PENDING transfer to release; it must still be open.' })
  @IsDatabaseId()
  pendingTransferId: string;
}

@InputType({
  description: 'Corrects a posted transfer with a new one in the opposite direction; the original stays in history.',
})
export class ReverseTransferInput extends LedgerWriteInput {
  @GlobalIdInput('Transfer', { description: 'A posted transfer (DIRECT or POST_PENDING).' })
  @IsDatabaseId()
  transferId: string;

  @Field(() => String, { nullable: true, description: 'Why; required when forced.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;

  @Field({
    defaultValue: false,
    description: "Apply even past the accounts' limits, widening them just enough; needs a reason.",
  })
  @IsBoolean()
  force: boolean = false;
}

@ArgsType()
export class TransfersArgs extends DateRangePageArgs {
  @GlobalIdInput('Account', { nullable: true, description: 'Only transfers debiting or crediting this account.' })
  @IsOptional()
  @IsDatabaseId()
  accountId?: string;

  @GlobalIdInput('Currency', { nullable: true, description: 'Only transfers in this currency.' })
  @IsOptional()
  @IsDatabaseId()
  currencyId?: string;
}

@ArgsType()
export class AccountsArgs extends PageArgs {
  @GlobalIdInput('Currency', { description: 'The currency whose accounts to list.' })
  @IsDatabaseId()
  currencyId: string;

  @Field(() => AccountKind, { nullable: true, description: 'Only accounts of this kind; all kinds when omitted.' })
  @IsOptional()
  kind?: AccountKind;
}

export enum GrantSource {
  ISSUANCE = 'issuance',
  POOL = 'pool',
}
registerEnumType(GrantSource, {
  name: 'GrantSource',
  description: 'Which community account a grant is paid from.',
  valuesMap: {
    ISSUANCE: { description: 'New money, from the issuance account.' },
    POOL: { description: "The community pool's money." },
  },
});

@InputType({ description: "Coordinators: credits a member account from the community's issuance or pool account." })
export class GrantCreditsInput extends LedgerWriteInput {
  @GlobalIdInput('Account', { description: 'The member account to credit.' })
  @IsDatabaseId()
  accountId: string;

  @Field(() => AmountScalar, { description: 'In minor units; must be greater than zero.' })
  @Allow()
  amount: bigint;

  @Field(() => GrantSource, { description: "Whether the money is new (issuance) or the pool's." })
  @IsEnum(GrantSource)
  source: GrantSource;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: "Coordinators: sets an account's lower and upper limits. Audited." })
export class SetAccountLimitsInput {
  @GlobalIdInput('Account', { description: 'The account whose limits to set.' })
  @IsDatabaseId()
  accountId: string;

  @Field(() => AmountScalar, {
    description: 'The lowest the available balance may go: 0 forbids debt, negative is a credit line.',
  })
  @Allow()
  lowerLimit: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'Null for no cap.' })
  @Allow()
  upperLimit?: bigint | null;

  @Field(() => String, { nullable: true, description: 'Why, for the audit log.' })
  @IsOptional()
  @MaxLength(500)
  reason?: string;
}

@InputType({ description: 'Coordinators: freezes or unfreezes an account. Audited.' })
export class AccountStatusInput {
  @GlobalIdInput('Account', { description: 'The account to freeze or unfreeze.' })
  @IsDatabaseId()
  accountId: string;

  @Field({ description: 'Why, for the audit log and the member.' })
  @Length(1, 500)
  reason: string;
}
