import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { ArgsType, Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { IsDate, Matches, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { ConnectionType, PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { PeriodErrorCode } from '../ledger.errors.js';

@ObjectType({ description: "An account's balance at the end of a closed period, as the close found it." })
export class PeriodBalance {
  @Field(() => ID)
  accountId: string;

  @Field(() => AmountScalar)
  balance: bigint;
}

@ObjectType({
  description:
    'A closed period of a currency: nothing dated up to `closedThrough` can change any more. A correction is posted in the open period and refers back to the original (a reversal names what it reverses).',
})
export class LedgerPeriod {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  currencyId: string;

  @Field()
  closedThrough: Date;

  @Field()
  closedAt: Date;

  @Field(() => ID, { nullable: true, description: 'The manager who closed it.' })
  closedBy: string | null;

  @Field()
  note: string;

  @Field(() => [PeriodBalance], {
    description: 'Every account that existed at the end of the period, with its balance then.',
  })
  balances: PeriodBalance[];
}

@ObjectType()
export class LedgerPeriodConnection extends ConnectionType(LedgerPeriod, 'LedgerPeriod') {}

@ArgsType()
export class PeriodsArgs extends PageArgs {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;
}

@InputType()
export class ClosePeriodInput {
  @Field(() => ID)
  @IsDatabaseId()
  communityId: string;

  @Field({ description: 'The end of the period, inclusive; it must have passed, and be later than the last close.' })
  @IsDate({ message: 'through must be a valid ISO 8601 date-time' })
  through: Date;

  @Field({ description: 'Why and on what authority, for the audit log.' })
  @Matches(/\S/, { message: 'note must not be blank' })
  @MaxLength(500)
  note: string;
}

@ObjectType({ implements: () => [UserErrorInterface] })
export class PeriodUserError {
  @Field(() => PeriodErrorCode)
  code: PeriodErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType({ description: 'The period as closed, or why closing it was refused.' })
export class ClosePeriodPayload {
  @Field(() => LedgerPeriod, { nullable: true })
  period: LedgerPeriod | null;

  @Field(() => [PeriodUserError])
  userErrors: PeriodUserError[];
}
