import { ArgsType, Field, InputType, Int } from '@nestjs/graphql';
import {
  Allow,
  ArrayMaxSize,
  IsDate,
  IsDefined,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsDatabaseId } from '../../../libs/database/database-id.js';
import { PageArgs } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { ListingKind, ListingNature, ListingStatus, PricingUnit } from '../models/listing-enums.js';
import { GlobalIdInput } from '../../../libs/graphql/global-id.js';

const CATEGORY = /^[a-z][a-z_]{1,31}$/;

/**
 * An omitted field is left as it is, but an explicit null is validated, and refused: these
 * columns have no "nothing" (expiresAt, where null means "no expiry", is the exception).
 */
const present = (_: object, value: unknown): boolean => value !== undefined;

/** What a listing says, whether new or changed. */
@InputType({ isAbstract: true })
abstract class ListingContentInput {
  @Field({ nullable: true })
  @ValidateIf(present)
  @Length(3, 120)
  title?: string;

  @Field({ nullable: true })
  @ValidateIf(present)
  @MaxLength(4000)
  description?: string;

  @Field({ nullable: true, description: 'A ListingCategory slug.' })
  @ValidateIf(present)
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  category?: string;

  @Field(() => [String], { nullable: true })
  @ValidateIf(present)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];

  @Field(() => PricingUnit, { nullable: true })
  @ValidateIf(present)
  @IsEnum(PricingUnit)
  pricing?: PricingUnit;

  @Field(() => AmountScalar, { nullable: true, description: 'In minor units; zero or more.' })
  @ValidateIf(present)
  @IsDefined({ message: 'price must not be null' })
  price?: bigint;

  @Field(() => Int, { nullable: true, description: 'Goods only: units available, 0 to 10000.' })
  @ValidateIf(present)
  @IsInt()
  @Min(0)
  @Max(10000)
  quantity?: number;

  @Field({ nullable: true })
  @ValidateIf(present)
  @MaxLength(100)
  district?: string;

  @Field({ nullable: true })
  @ValidateIf(present)
  @MaxLength(500)
  availability?: string;

  @Field(() => Date, { nullable: true })
  @IsOptional()
  @IsDate({ message: 'expiresAt must be a valid ISO 8601 date-time' })
  expiresAt?: Date;
}

@InputType()
export class CreateListingInput extends ListingContentInput {
  @GlobalIdInput('Community')
  @IsDatabaseId()
  communityId: string;

  @Field(() => ListingKind)
  @IsEnum(ListingKind)
  kind: ListingKind;

  @Field(() => ListingNature)
  @IsEnum(ListingNature)
  nature: ListingNature;

  @Field()
  @Length(3, 120)
  declare title: string;

  @Field()
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  declare category: string;

  @Field(() => PricingUnit)
  @IsEnum(PricingUnit)
  declare pricing: PricingUnit;

  @Field(() => AmountScalar)
  @Allow()
  declare price: bigint;
}

@InputType()
export class UpdateListingInput extends ListingContentInput {
  @GlobalIdInput('Listing')
  @IsDatabaseId()
  listingId: string;

  @Field(() => ListingStatus, {
    nullable: true,
    description: 'Pause, resume or close it. A closed listing stays closed.',
  })
  @ValidateIf(present)
  @IsEnum(ListingStatus)
  status?: ListingStatus;
}

@ArgsType()
export class ListingsArgs extends PageArgs {
  @GlobalIdInput('Community')
  @IsDatabaseId()
  communityId: string;

  @Field({
    nullable: true,
    description: 'Words to find in the title or description, in any language; part of a word matches too.',
  })
  @IsOptional()
  @Length(1, 100)
  query?: string;

  @Field(() => ListingKind, { nullable: true })
  @IsOptional()
  @IsEnum(ListingKind)
  kind?: ListingKind;

  @Field(() => ListingNature, { nullable: true })
  @IsOptional()
  @IsEnum(ListingNature)
  nature?: ListingNature;

  @Field({ nullable: true })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  category?: string;

  @Field({ nullable: true })
  @IsOptional()
  @MaxLength(100)
  district?: string;

  @Field(() => AmountScalar, { nullable: true })
  @Allow()
  minPrice?: bigint;

  @Field(() => AmountScalar, { nullable: true })
  @Allow()
  maxPrice?: bigint;

  @Field(() => ListingStatus, { defaultValue: ListingStatus.ACTIVE })
  @IsEnum(ListingStatus)
  status: ListingStatus = ListingStatus.ACTIVE;

  @GlobalIdInput('Member', { nullable: true, description: "Only this member's listings." })
  @IsOptional()
  @IsDatabaseId()
  memberId?: string;
}
