import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { ListingErrorCode } from '../listings.errors.js';
import { ListingKind, ListingNature, ListingStatus, PricingUnit } from './listing-enums.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@ObjectType({ description: 'A kind of thing exchanged, in English and Korean.' })
export class ListingCategory {
  @Field({ description: 'Stable identifier, e.g. repairs.' })
  slug: string;

  @Field({ description: 'Its name in English.' })
  nameEn: string;

  @Field({ description: 'Its name in Korean.' })
  nameKo: string;
}

@NodeType('Listing', {
  idDescription: 'Names this listing: propose an exchange against it with this id.',
  description: "An offer or a request, for labour or goods, in the community's currency.",
})
export class Listing {
  id: string;

  @GlobalIdField('Community', { description: 'The community it is posted in, and whose currency prices it.' })
  communityId: string;

  @GlobalIdField('Member', { description: 'The member who posted it.' })
  memberId: string;

  @Field(() => ListingKind, { description: 'Whether the member offers it or asks for it.' })
  kind: ListingKind;

  @Field(() => ListingNature, { description: 'Whether it is labour or goods.' })
  nature: ListingNature;

  @Field({ description: 'A short title.' })
  title: string;

  @Field({ description: 'The details; empty when none were given.' })
  description: string;

  @Field({ description: 'A ListingCategory slug.' })
  category: string;

  @Field(() => [String], { description: 'Words it is found by.' })
  tags: string[];

  @Field(() => PricingUnit, { description: 'Whether `price` is per hour or for the whole.' })
  pricing: PricingUnit;

  @Field(() => AmountScalar, { description: 'In minor units of the community currency: per hour, or for the whole.' })
  price: bigint;

  @Field(() => Int, { nullable: true, description: 'Goods: units still available.' })
  quantity: number | null;

  @Field({ description: 'Where; empty when not said.' })
  district: string;

  @Field({ description: "When, in the member's words; empty when not said." })
  availability: string;

  @Field(() => ListingStatus, { description: 'Whether it is offered now.' })
  status: ListingStatus;

  @Field(() => Date, { nullable: true, description: 'When it stops being offered; null for never.' })
  expiresAt: Date | null;

  @Field({ description: 'When it was posted.' })
  createdAt: Date;

  @Field({ description: 'When it was last changed.' })
  updatedAt: Date;
}

@ObjectType({
  description: 'Listings found by a search, newest first.',
})
export class ListingConnection extends ConnectionType(Listing, 'Listing', { totalCount: true }) {}

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class ListingUserError {
  @Field(() => ListingErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: ListingErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@ObjectType({ description: 'The listing as created or changed, or why the change was refused.' })
export class ListingPayload {
  @Field(() => Listing, { nullable: true, description: 'The listing after the change; null when refused.' })
  listing: Listing | null;

  @Field(() => [ListingUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: ListingUserError[];
}
