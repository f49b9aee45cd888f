import { ArgsType, Field, ID, InputType } from '@nestjs/graphql';
import { Allow, IsDate, IsObject, IsOptional, Matches, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar, JSONObjectScalar } from '../../../libs/graphql/scalars.js';
import { AccountKind } from '../models/ledger-enums.js';


@InputType()
export class CreateTransferInput {
  @Field({ description: 'Chosen by the client, unique per intended transfer: 1-128 printable ASCII characters (a UUID fits). Retrying with the same key is safe.' })
  @Matches(/^[\x21-\x7e]{1,128}$/, { message: 'idempotencyKey must be 1-128 printable ASCII characters without spaces' })
  idempotencyKey: string;

  @Field(() => ID)
  @IsDatabaseId()
  debitAccountId: string;

  @Field(() => ID)
  @IsDatabaseId()
  creditAccountId: string;

  @Field(() => AmountScalar, { description: 'In minor units; must be greater than zero.' })
  @Allow() // The Amount scalar has already parsed it exactly; its sign is a ledger rule (AMOUNT_MUST_BE_POSITIVE).
  amount: bigint;

  @Field({ defaultValue: 'payment', description: 'Lower-case kind of movement, e.g. payment, gift, starter_grant.' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'code must be lower_snake_case, at most 64 characters' })
  code: string = 'payment';

  @Field({ defaultValue: '' })
  @MaxLength(500)
  memo: string = '';

  @Field(() => JSONObjectScalar, { nullable: true })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, unknown>;
}

@ArgsType()
export class DateRangePageArgs extends PageArgs {
  @Field(() => Date, { nullable: true, description: 'Inclusive lower bound on createdAt.' })
  @IsOptional()
  @IsDate({ message: 'from must be a valid ISO 8601 date-time' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Exclusive upper bound on createdAt.' })
  @IsOptional()
  @IsDate({ message: 'to must be a valid ISO 8601 date-time' })
  to?: Date;
}

@ArgsType()
export class TransfersArgs extends DateRangePageArgs {
  @Field(() => ID, { nullable: true, description: 'Only transfers debiting or crediting this account.' })
  @IsOptional()
  @IsDatabaseId()
  accountId?: string;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsDatabaseId()
  currencyId?: string;
}

@ArgsType()
export class AccountsArgs extends PageArgs {
  @Field(() => ID)
  @IsDatabaseId()
  currencyId: string;

  @Field(() => AccountKind, { nullable: true })
  @IsOptional()
  kind?: AccountKind;
}
