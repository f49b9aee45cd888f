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
  @Field({ nullable: true, description: 'A short title, 3 to 120 characters.' })
  @ValidateIf(present)
  @Length(3, 120)
  title?: string;

  @Field({ nullable: true, description: 'The details, at most 4000 characters.' })
  @ValidateIf(present)
  @MaxLength(4000)
  description?: string;

  @Field({ nullable: true, description: 'A ListingCategory slug.' })
  @ValidateIf(present)
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  category?: string;

  @Field(() => [String], {
    nullable: true,
    description: 'Words to be found by, up to 20 entries of 1 to 40 characters.',
  })
  @ValidateIf(present)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];

  @Field(() => PricingUnit, { nullable: true, description: 'Whether the price is per hour or for the whole.' })
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

  @Field({ nullable: true, description: 'Where, for example Mapo-gu; at most 100 characters.' })
  @ValidateIf(present)
  @MaxLength(100)
  district?: string;

  @Field({
    nullable: true,
    description: 'When, in your words (for example "weekday evenings"); at most 500 characters.',
  })
  @ValidateIf(present)
  @MaxLength(500)
  availability?: string;

  @Field(() => Date, { nullable: true, description: 'When the listing stops being offered; null for never.' })
  @IsOptional()
  @IsDate({ message: 'expiresAt must be a valid ISO 8601 date-time' })
  expiresAt?: Date;
}

@InputType({ description: 'A new offer or request in a community.' })
export class CreateListingInput extends ListingContentInput {
  @GlobalIdInput('Community', { description: 'The community to post in; you must be an active member.' })
  @IsDatabaseId()
  communityId: string;

  @Field(() => ListingKind, { description: 'Whether you offer it or ask for it.' })
  @IsEnum(ListingKind)
  kind: ListingKind;

  @Field(() => ListingNature, { description: 'Whether it is labour or goods.' })
  @IsEnum(ListingNature)
  nature: ListingNature;

  @Field({ description: 'A short title, 3 to 120 characters.' })
  @Length(3, 120)
  declare title: string;

  @Field({ description: 'A ListingCategory slug, from `listingCategories`.' })
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  declare category: string;

  @Field(() => PricingUnit, { description: 'Whether the price is per hour or for the whole.' })
  @IsEnum(PricingUnit)
  declare pricing: PricingUnit;

  @Field(() => AmountScalar, { description: 'In minor units of the community currency; zero or more.' })
  @Allow()
  declare price: bigint;
}

@InputType({ description: 'Changes to one of your listings; omitted fields stay as they are.' })
export class UpdateListingInput extends ListingContentInput {
  @GlobalIdInput('Listing', { description: 'The listing to change.' })
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
  @GlobalIdInput('Community', { description: 'The community to search.' })
  @IsDatabaseId()
  communityId: string;

  @Field({
    nullable: true,
    description: 'Words to find in the title or description, in any language; part of a word matches too.',
  })
  @IsOptional()
  @Length(1, 100)
  query?: string;

  @Field(() => ListingKind, { nullable: true, description: 'Only offers, or only requests.' })
  @IsOptional()
  @IsEnum(ListingKind)
  kind?: ListingKind;

  @Field(() => ListingNature, { nullable: true, description: 'Only labour, or only goods.' })
  @IsOptional()
  @IsEnum(ListingNature)
  nature?: ListingNature;

  @Field({ nullable: true, description: 'Only this category (a ListingCategory slug).' })
  @IsOptional()
  @Matches(CATEGORY, { message: 'category must be a category slug' })
  category?: string;

  @Field({ nullable: true, description: 'Only listings in exactly this district.' })
  @IsOptional()
  @MaxLength(100)
  district?: string;

  @Field(() => AmountScalar, { nullable: true, description: 'Only listings priced at least this, in minor units.' })
  @Allow()
  minPrice?: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'Only listings priced at most this, in minor units.' })
  @Allow()
  maxPrice?: bigint;

  @Field(() => ListingStatus, {
    defaultValue: ListingStatus.ACTIVE,
    description: 'Only listings in this state; ACTIVE leaves out those past their expiry.',
  })
  @IsEnum(ListingStatus)
  status: ListingStatus = ListingStatus.ACTIVE;

  @GlobalIdInput('Member', { nullable: true, description: "Only this member's listings." })
  @IsOptional()
  @IsDatabaseId()
  memberId?: string;
}
