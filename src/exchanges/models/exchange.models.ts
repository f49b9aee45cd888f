import { UserErrorInterface } from '../../../libs/graphql/user-errors.js';
import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';
import { ResumeAfterField } from '../../events/dto/events.inputs.js';
import { Event } from '../../events/models/event.models.js';
import { ConnectionType } from '../../../libs/graphql/pagination.js';
import { AmountScalar } from '../../../libs/graphql/scalars.js';
import { ExchangeStatus } from './exchange-enums.js';
import { ExchangeErrorCode } from '../exchanges.errors.js';
import { GlobalIdField } from '../../../libs/graphql/global-id.js';
import { NodeType } from '../../../libs/graphql/node.js';

@ObjectType({
  implements: () => [UserErrorInterface],
  description: 'A refusal: the request was expected to be possible but was not, and changed nothing.',
})
export class ExchangeUserError {
  @Field(() => ExchangeErrorCode, { description: 'What was refused, as a stable code to branch on.' })
  code: ExchangeErrorCode;

  @Field(() => [String], { nullable: true, description: 'The path of the input field at fault.' })
  field: string[] | null;

  @Field({ description: 'The refusal in English, for people; branch on `code`, not on this text.' })
  message: string;
}

@NodeType('Exchange', {
  idDescription: 'Names this exchange: pass it to the actions on it.',
  description: 'One deal between a provider and a receiver, paid only through a hold on the ledger.',
})
export class Exchange {
  id: string;

  @GlobalIdField('Community', { description: 'The community the exchange is paid in.' })
  communityId: string;

  @GlobalIdField('Listing', {
    nullable: true,
    description: 'The listing it was proposed against; null for a direct exchange.',
  })
  listingId: string | null;

  @GlobalIdField('ExchangeGroup', { nullable: true, description: 'For a place in a group exchange: its group.' })
  groupId: string | null;

  @GlobalIdField('Member', { description: 'The member who proposed it; the other party accepts.' })
  proposerId: string;

  @GlobalIdField('Member', { description: 'The member who provides the work or goods, and is paid.' })
  providerId: string;

  providerAccountId: string;

  @GlobalIdField('Member', { description: 'The member who receives the work or goods, and pays.' })
  receiverId: string;

  receiverAccountId: string;

  @Field({ description: "What was agreed, in the parties' words." })
  description: string;

  @Field(() => ExchangeStatus, {
    description: 'Where the exchange stands; see ExchangeStatus for the moves between states.',
  })
  status: ExchangeStatus;

  @Field(() => AmountScalar, { description: 'What the hold reserves.' })
  estimatedAmount: bigint;

  @Field(() => AmountScalar, { nullable: true, description: 'What the provider stated on delivery.' })
  actualAmount: bigint | null;

  @Field(() => Int, { nullable: true, description: 'Goods: units reserved.' })
  quantity: number | null;

  @GlobalIdField('Transfer', {
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

  @Field({ description: 'When it was proposed.' })
  createdAt: Date;

  @Field({ description: 'When it last changed.' })
  updatedAt: Date;
}

@ObjectType({
  description:
    'Exchanges, newest first. No totalCount: with communityId it is every exchange a community ever made, which grows without bound and no index counts by community.',
})
export class ExchangeConnection extends ConnectionType(Exchange, 'Exchange') {}

@ObjectType({ description: 'The exchange as changed, or why the change was refused.' })
export class ExchangePayload {
  @Field(() => Exchange, { nullable: true, description: 'The exchange after the action; null when refused.' })
  exchange: Exchange | null;

  @Field(() => [ExchangeUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: ExchangeUserError[];
}

@NodeType('Review', {
  idDescription: 'Names this review.',
  description: "One party's review of the other, after settlement.",
  node: false,
})
export class Review {
  id: string;

  @GlobalIdField('Exchange', { description: 'The exchange reviewed.' })
  exchangeId: string;

  @GlobalIdField('Member', { description: 'The member who wrote the review: one party of the exchange.' })
  authorId: string;

  @GlobalIdField('Member', { description: 'The member reviewed: the other party.' })
  subjectId: string;

  @Field(() => Int, { description: '1 to 5.' })
  rating: number;

  @Field({ description: "The author's words; empty when they gave only a rating." })
  comment: string;

  @Field({ description: 'When the review was written.' })
  createdAt: Date;
}

@ObjectType({ description: 'The review as written, or why it was refused.' })
export class ReviewPayload {
  @Field(() => Review, { nullable: true, description: 'The new review; null when refused.' })
  review: Review | null;

  @Field(() => [ExchangeUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: ExchangeUserError[];
}

@ObjectType({ description: 'What others said of a member after settled exchanges.' })
export class ReviewSummary {
  @Field(() => Int, { description: 'How many reviews the member has received.' })
  count: number;

  @Field(() => Float, { nullable: true, description: 'Mean rating, 1 to 5; null without reviews.' })
  averageRating: number | null;
}

@NodeType('ExchangeGroup', {
  idDescription: 'Names this group: pass it to settleExchangeGroup.',
  description:
    'One provider and many receivers (a class, a shared repair day): a place per receiver, settled together.',
})
export class ExchangeGroup {
  id: string;

  @GlobalIdField('Community', { description: 'The community the group is paid in.' })
  communityId: string;

  @GlobalIdField('Listing', {
    nullable: true,
    description: "The provider's offer it was proposed from; null when proposed directly.",
  })
  listingId: string | null;

  @GlobalIdField('Member', { description: 'The member who provides to every receiver, and is paid.' })
  providerId: string;

  @Field({ description: "What is provided, in the provider's words." })
  description: string;

  @Field(() => AmountScalar, { description: 'Per receiver: what each hold reserves.' })
  estimatedAmount: bigint;

  @Field({ description: 'When the provider proposed it.' })
  createdAt: Date;
}

@ObjectType({ description: 'The group and its places, or why the action was refused.' })
export class ExchangeGroupPayload {
  @Field(() => ExchangeGroup, { nullable: true, description: 'The group; null when refused.' })
  group: ExchangeGroup | null;

  @Field(() => [Exchange], { description: 'The places: all of them for the provider; yours for a receiver.' })
  exchanges: Exchange[];

  @Field(() => [ExchangeUserError], {
    description: 'Why the request was refused; empty when it succeeded. A refused request changes nothing.',
  })
  userErrors: ExchangeUserError[];
}

@ObjectType({ description: 'A change to one of your exchanges. Sent in the order of the events, each once.' })
export class ExchangeActivity {
  @Field(() => Event, {
    description: 'The event (exchange.<status>), as the feed serves it (its id is what `after` takes on reconnection).',
  })
  event: Event;

  @Field(() => Exchange, { description: 'The exchange as it stood when this was sent.' })
  exchange: Exchange;
}

@ArgsType()
export class MyExchangesArgs {
  @ResumeAfterField()
  after?: string;
}
