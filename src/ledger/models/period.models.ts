import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { ArgsType, Field, InputType, ObjectType } from '@nestjs/graphql';
import { IsDate, Matches, MaxLength } from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { ConnectionType, PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { PeriodErrorCode } from '../ledger.errors.js';
import { GlobalIdField, GlobalIdInput } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@ObjectType({ description: "An account's balance at the end of a closed period, as the close found it." })
export class PeriodBalance {
  @GlobalIdField('Account', { description: 'An account that existed at the end of the period.' })
  accountId: string;

  @Field(() => AmountScalar, { description: 'Its balance at the end of the period, in minor units.' })
  balance: bigint;
}

@NodeType('LedgerPeriod', {
  idDescription: 'Names this closed period.',
  description:
    'A closed period of a currency: nothing dated up to `closedThrough` can change any more. A correction is posted in the open period and refers back to the original (a reversal names what it reverses).',
  node: false,
})
export class LedgerPeriod {
  id: string;

  @GlobalIdField('Currency', { description: 'The currency whose postings the period closes.' })
  currencyId: string;

  @Field({ description: 'The end of the period, inclusive: postings dated up to it are final.' })
  closedThrough: Date;

  @Field({ description: 'When the period was closed.' })
  closedAt: Date;

  @GlobalIdField('Member', { nullable: true, description: 'The manager who closed it.' })
  closedBy: string | null;

  @Field({ description: 'Why and on what authority it was closed, as the manager wrote it.' })
  note: string;

  @Field(() => [PeriodBalance], {
    description: 'Every account that existed at the end of the period, with its balance then.',
  })
  balances: PeriodBalance[];
}

@ObjectType({
  description: "A community's closed periods, latest first.",
})
export class LedgerPeriodConnection extends ConnectionType(LedgerPeriod, 'LedgerPeriod', { totalCount: true }) {}

@ArgsType()
export class PeriodsArgs extends PageArgs {
  @GlobalIdInput('Community', { description: 'The community whose closed periods to list.' })
  @IsDatabaseId()
  communityId: string;
}

@InputType({ description: "Coordinators: closes a community's ledger through an instant, for good." })
export class ClosePeriodInput {
  @GlobalIdInput('Community', { description: "The community whose currency's period to close." })
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

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class PeriodUserError {
  @Field(() => PeriodErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: PeriodErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({ description: 'The period as closed, or why closing it was refused.' })
export class ClosePeriodPayload {
  @Field(() => LedgerPeriod, { nullable: true, description: 'The period as closed; null when refused.' })
  period: LedgerPeriod | null;

  @Field(() => [PeriodUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: PeriodUserError[];
}
