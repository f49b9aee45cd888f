import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { ListingErrorCode } from '../listings.errors.js';
import { ListingKind, ListingNature, ListingStatus, PricingUnit } from './listing-enums.js';

@ObjectType({ description: 'A kind of thing exchanged, in English and Korean.' })
export class ListingCategory {
  @Field({ description: 'Stable identifier, e.g. repairs.' })
  slug: string;

  @Field()
  nameEn: string;

  @Field()
  nameKo: string;
}

@ObjectType({ description: "An offer or a request, for labour or goods, in the community's currency." })
export class Listing {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  communityId: string;

  @Field(() => ID, { description: 'The member who posted it.' })
  memberId: string;

  @Field(() => ListingKind)
  kind: ListingKind;

  @Field(() => ListingNature)
  nature: ListingNature;

  @Field()
  title: string;

  @Field()
  description: string;

  @Field({ description: 'A ListingCategory slug.' })
  category: string;

  @Field(() => [String])
  tags: string[];

  @Field(() => PricingUnit)
  pricing: PricingUnit;

  @Field(() => AmountScalar, { description: 'In minor units of the community currency: per hour, or for the whole.' })
  price: bigint;

  @Field(() => Int, { nullable: true, description: 'Goods: units still available.' })
  quantity: number | null;

  @Field()
  district: string;

  @Field()
  availability: string;

  @Field(() => ListingStatus)
  status: ListingStatus;

  @Field(() => Date, { nullable: true })
  expiresAt: Date | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class ListingConnection extends ConnectionType(Listing, 'Listing') {}

@ObjectType({ implements: () => [UserErrorInterface] })
export class ListingUserError {
  @Field(() => ListingErrorCode)
  code: ListingErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType()
export class ListingPayload {
  @Field(() => Listing, { nullable: true })
  listing: Listing | null;

  @Field(() => [ListingUserError])
  userErrors: ListingUserError[];
}
