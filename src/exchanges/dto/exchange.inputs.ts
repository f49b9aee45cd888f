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

  @Field({ defaultValue: '' })
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

@InputType()
export class ExchangeActionInput {
  @GlobalIdInput('Exchange')
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => String, { nullable: true, description: 'Why: required to dispute.' })
  @IsOptional()
  @MaxLength(1000)
  reason?: string;
}

@InputType()
export class MarkDeliveredInput {
  @GlobalIdInput('Exchange')
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => AmountScalar, { description: 'What the work or goods actually came to; may differ from the estimate.' })
  @Allow()
  actualAmount: bigint;
}

@InputType()
export class ConfirmExchangeInput {
  @GlobalIdInput('Exchange')
  @IsDatabaseId()
  exchangeId: string;

  @Field({
    defaultValue: false,
    description: 'Needed when the actual amount is above the hold: the difference is paid too.',
  })
  @IsBoolean()
  approveAmountAboveHold: boolean = false;
}

@InputType()
export class ResolveDisputeInput {
  @GlobalIdInput('Exchange')
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => DisputeOutcome)
  @IsEnum(DisputeOutcome)
  outcome: DisputeOutcome;

  @Field(() => AmountScalar, { nullable: true, description: 'POST_PART: how much of the hold to pay.' })
  @Allow()
  amount?: bigint;

  @Field()
  @Length(1, 1000)
  reason: string;
}

@InputType()
export class ReviewExchangeInput {
  @GlobalIdInput('Exchange')
  @IsDatabaseId()
  exchangeId: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  @Max(5)
  rating: number;

  @Field({ defaultValue: '' })
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

  @Field(() => ExchangeStatus, { nullable: true })
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

@InputType()
export class SettleExchangeGroupInput {
  @GlobalIdInput('ExchangeGroup')
  @IsDatabaseId()
  groupId: string;

  @Field(() => AmountScalar, { description: 'What each place came to; each pays it up to its hold.' })
  @Allow()
  actualAmount: bigint;
}
