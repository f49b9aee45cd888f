import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { Field, Float, ID, Int, ObjectType } from '@nestjs/graphql';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { ExchangeStatus } from './exchange-enums.js';
import { ExchangeErrorCode } from '../exchanges.errors.js';

@ObjectType({ implements: () => [UserErrorInterface] })
export class ExchangeUserError {
  @Field(() => ExchangeErrorCode)
  code: ExchangeErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field()
  message: string;
}

@ObjectType({ description: 'One deal between a provider and a receiver, paid only through a hold on the ledger.' })
export class Exchange {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  communityId: string;

  @Field(() => ID, { nullable: true })
  listingId: string | null;

  @Field(() => ID, { nullable: true, description: 'For a place in a group exchange: its group.' })
  groupId: string | null;

  @Field(() => ID)
  proposerId: string;

  @Field(() => ID)
  providerId: string;

  providerAccountId: string;

  @Field(() => ID)
  receiverId: string;

  receiverAccountId: string;

  @Field()
  description: string;

  @Field(() => ExchangeStatus)
  status: ExchangeStatus;

  @Field(() => AmountScalar, { description: 'What the hold reserves.' })
  estimatedAmount: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'What the provider stated on delivery.' })
  actualAmount: bigint | null;

  @Field(() => Int, { nullable: true, description: 'Goods: units reserved.' })
  quantity: number | null;

  @Field(() => ID, {
    nullable: true,
    description: "The hold: a pending transfer from the receiver's account to the provider's.",
  })
  holdTransferId: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'ACCEPTED: when the hold lapses undelivered. DELIVERED: when it confirms itself.',
  })
  dueAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was cancelled, disputed, resolved or expired.' })
  reason: string | null;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;
}

@ObjectType()
export class ExchangeConnection extends ConnectionType(Exchange, 'Exchange') {}

@ObjectType()
export class ExchangePayload {
  @Field(() => Exchange, { nullable: true })
  exchange: Exchange | null;

  @Field(() => [ExchangeUserError])
  userErrors: ExchangeUserError[];
}

@ObjectType({ description: "One party's review of the other, after settlement." })
export class Review {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  exchangeId: string;

  @Field(() => ID)
  authorId: string;

  @Field(() => ID)
  subjectId: string;

  @Field(() => Int, { description: '1 to 5.' })
  rating: number;

  @Field()
  comment: string;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class ReviewPayload {
  @Field(() => Review, { nullable: true })
  review: Review | null;

  @Field(() => [ExchangeUserError])
  userErrors: ExchangeUserError[];
}

@ObjectType({ description: 'What others said of a member after settled exchanges.' })
export class ReviewSummary {
  @Field(() => Int)
  count: number;

  @Field(() => Float, { nullable: true, description: 'Mean rating, 1 to 5; null without reviews.' })
  averageRating: number | null;
}

@ObjectType({
  description:
    'One provider and many receivers (a class, a shared repair day): a place per receiver, settled together.',
})
export class ExchangeGroup {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  communityId: string;

  @Field(() => ID, { nullable: true })
  listingId: string | null;

  @Field(() => ID)
  providerId: string;

  @Field()
  description: string;

  @Field(() => AmountScalar, { description: 'Per receiver: what each hold reserves.' })
  estimatedAmount: bigint;

  @Field()
  createdAt: Date;
}

@ObjectType()
export class ExchangeGroupPayload {
  @Field(() => ExchangeGroup, { nullable: true })
  group: ExchangeGroup | null;

  @Field(() => [Exchange], { description: 'The places: all of them for the provider; yours for a receiver.' })
  exchanges: Exchange[];

  @Field(() => [ExchangeUserError])
  userErrors: ExchangeUserError[];
}
