import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import {
  Allow,
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { DisputeOutcome, ExchangeRole, ExchangeStatus } from '../models/exchange-enums.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

/** What every proposal names: where (a listing, or a community), what each hold reserves, and what it is about. */
@InputType({ isAbstract: true })
abstract class ProposalTermsInput {
  @GlobalIdInput('Listing', {
    nullable: true,
    description:
      'The listing: for a single exchange its kind decides who provides; for a group it is your own service offer.',
  })
  @IsOptional()
  @IsDatabaseId()
  listingId?: string;

  @GlobalIdInput('Community', { nullable: true, description: 'Without a listing: the community.' })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;

  @Field(() => AmountScalar, { description: 'What the hold (each hold, in a group) will reserve, in minor units.' })
  @Allow()
  estimatedAmount: bigint;

  @Field({ defaultValue: '', description: "What is asked or offered, in the parties' words; at most 2000 characters." })
  @MaxLength(2000)
  description: string = '';
}

@InputType({ description: 'Against a listing, or directly to another member ("you fixed my bike; here are 2 hours").' })
export class ProposeExchangeInput extends ProposalTermsInput {
  @GlobalIdInput('Member', { nullable: true, description: 'Without a listing: the other member.' })
  @IsOptional()
  @IsDatabaseId()
  counterpartyId?: string;

  @Field(() => ExchangeRole, { nullable: true, description: 'Without a listing: whether you provide or receive.' })
  @IsOptional()
  @IsEnum(ExchangeRole)
  role?: ExchangeRole;

  @Field(() => Int, { nullable: true, description: 'Goods: units wanted, 1 to 10000.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  quantity?: number;
}

@InputType({ description: 'An exchange to act on, and why.' })
export class ExchangeActionInput {
  @GlobalIdInput('Exchange', { description: 'The exchange to accept, cancel or dispute; you must be a party to it.' })
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => String, { nullable: true, description: 'Why: required to dispute.' })
  @IsOptional()
  @MaxLength(1000)
  reason?: string;
}

@InputType({ description: "The provider's statement that the work or goods were delivered." })
export class MarkDeliveredInput {
  @GlobalIdInput('Exchange', { description: 'The ACCEPTED exchange you provided.' })
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => AmountScalar, { description: 'What the work or goods actually came to; may differ from the estimate.' })
  @Allow()
  actualAmount: bigint;
}

@InputType({ description: "The receiver's confirmation that pays the provider." })
export class ConfirmExchangeInput {
  @GlobalIdInput('Exchange', { description: 'The DELIVERED exchange you received.' })
  @IsDatabaseId()
  exchangeId: string;

  @Field({
    defaultValue: false,
    description: 'Needed when the actual amount is above the hold: the difference is paid too.',
  })
  @IsBoolean()
  approveAmountAboveHold: boolean = false;
}

@InputType({ description: "A coordinator's decision on a disputed exchange." })
export class ResolveDisputeInput {
  @GlobalIdInput('Exchange', { description: 'The DISPUTED exchange to settle.' })
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => DisputeOutcome, { description: 'Pay the hold in full, in part, or not at all.' })
  @IsEnum(DisputeOutcome)
  outcome: DisputeOutcome;

  @Field(() => AmountScalar, { nullable: true, description: 'POST_PART: how much of the hold to pay.' })
  @Allow()
  amount?: bigint;

  @Field({ description: 'Why, 1 to 1000 characters; both parties and the audit log see it.' })
  @Length(1, 1000)
  reason: string;
}

@InputType({ description: "One party's review of the other, after settlement." })
export class ReviewExchangeInput {
  @GlobalIdInput('Exchange', { description: 'The settled exchange (CONFIRMED or RESOLVED) you were a party to.' })
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent).' })
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @Field({ defaultValue: '', description: 'What you would tell other members, at most 2000 characters.' })
  @MaxLength(2000)
  comment: string = '';
}

@ArgsType()
export class ExchangesArgs extends PageArgs {
  @GlobalIdInput('Community', {
    nullable: true,
    description: "Managers and auditors: all of this community's exchanges. Otherwise yours.",
  })
  @IsOptional()
  @IsDatabaseId()
  communityId?: string;

  @Field(() => ExchangeStatus, {
    nullable: true,
    description: 'Only exchanges in this state; every state when omitted.',
  })
  @IsOptional()
  @IsEnum(ExchangeStatus)
  status?: ExchangeStatus;
}

@InputType({ description: 'The provider proposes one place per receiver, from their own offer or directly.' })
export class ProposeGroupExchangeInput extends ProposalTermsInput {
  @GlobalIdInput('Member', { list: true, description: '2 to 100 members, each receiving a place.' })
  @ArrayMinSize(2)
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsDatabaseId({ each: true })
  receiverIds: string[];
}

@InputType({ description: 'The provider settles every accepted place of a group.' })
export class SettleExchangeGroupInput {
  @GlobalIdInput('ExchangeGroup', { description: 'The group exchange you provide.' })
  @IsDatabaseId()
  groupId: string;

  @Field(() => AmountScalar, { description: 'What each place came to; each pays it up to its hold.' })
  @Allow()
  actualAmount: bigint;
}
