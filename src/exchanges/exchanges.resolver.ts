import { Injectable } from '@nestjs/common';
import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver, Subscription } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { AuthorizedLedgerService } from '../ledger/authorized-ledger.service.js';
import { Transfer } from '../ledger/models/ledger.models.js';
import { ListingsService } from '../listings/listings.service.js';
import { Listing } from '../listings/models/listing.models.js';
import { MembersService } from '../members/members.service.js';
import { Member, visibleMemberNote } from '../members/models/member.models.js';
import {
  ConfirmExchangeInput,
  ExchangeActionInput,
  ExchangesArgs,
  MarkDeliveredInput,
  ProposeExchangeInput,
  ProposeGroupExchangeInput,
  ResolveDisputeInput,
  ReviewExchangeInput,
  SettleExchangeGroupInput,
} from './dto/exchange.inputs.js';
import { ExchangesService, LATEST_REVIEWS } from './exchanges.service.js';
import { resumeAfter } from '../events/events.service.js';
import {
  Exchange,
  ExchangeActivity,
  ExchangeConnection,
  ExchangeGroup,
  ExchangeGroupPayload,
  ExchangePayload,
  MyExchangesArgs,
  Review,
  ReviewPayload,
  ReviewSummary,
} from './models/exchange.models.js';
import { GlobalIdArg } from '../../libs/graphql/global-id.js';
import { byIds, groupedBy, requestLoader } from '../../libs/graphql/request-loaders.js';

const COMMUNITY_NOTE = 'The community it belongs to (the object of `communityId`). Public.';
const LISTING_NOTE =
  'The listing it was made against (the object of `listingId`), as `listing(id)` shows it to you: null without one, or when you may not see it.';

/** The objects an exchange, a group or a review names, each loaded once per request for a whole page. */
@Injectable()
export class RelatedObjects {
  constructor(
    readonly communities: CommunitiesService,
    readonly members: MembersService,
    readonly listings: ListingsService,
    readonly ledger: AuthorizedLedgerService,
  ) {}

  listing(actor: Actor, listingId: string | null, context: object): Promise<Listing | null> {
    return listingId === null ? Promise.resolve(null) : this.listings.visibleListing(actor, listingId, context);
  }
}

@Resolver(() => Exchange)
export class ExchangesResolver {
  constructor(
    private readonly service: ExchangesService,
    private readonly related: RelatedObjects,
  ) {}

  @Subscription(() => ExchangeActivity, {
    description:
      'Every change to your exchanges (as provider or receiver) as it happens: proposed, accepted, delivered, confirmed, cancelled, disputed, resolved, expired.',
    resolve: (activity: ExchangeActivity) => activity,
  })
  myExchanges(
    @CurrentActor() actor: Actor,
    @Args() args: MyExchangesArgs,
  ): Promise<AsyncIterableIterator<ExchangeActivity>> {
    return this.service.followMine(actor, resumeAfter(args.after));
  }

  @Query(() => Exchange, { description: 'An exchange you are party to, or audit. FORBIDDEN otherwise.' })
  exchange(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Exchange', 'id', { description: "The exchange's id." }) id: string,
  ): Promise<Exchange> {
    return this.service.find(actor, id);
  }

  @Query(() => ExchangeConnection, {
    description: "Your exchanges, newest first; with communityId, a community's for its auditors.",
  })
  exchanges(@CurrentActor() actor: Actor, @Args() args: ExchangesArgs): Promise<Connection<Exchange>> {
    return this.service.list(actor, args);
  }

  @Mutation(() => ExchangePayload, {
    description: `Proposes an exchange against a listing, or directly to another member. ${rateLimitNote(RATE_LIMITS.proposeExchange)}`,
  })
  @RateLimited(RATE_LIMITS.proposeExchange)
  proposeExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The listing or the other member, the estimate and what it is about.' })
    input: ProposeExchangeInput,
  ): Promise<ExchangePayload> {
    return this.service.propose(actor, input);
  }

  @Query(() => ExchangeGroupPayload, {
    description: 'A group exchange: its provider and auditors see every place, a receiver their own.',
    deprecationReason:
      'Use `groupExchange`, which returns the ExchangeGroup itself, its places in `exchanges`. Removed on or after 2027-06-01.',
  })
  exchangeGroup(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('ExchangeGroup', 'id', { description: "The group's id." }) id: string,
  ): Promise<ExchangeGroupPayload> {
    return this.service.findGroup(actor, id);
  }

  @Query(() => ExchangeGroup, {
    description:
      "A group exchange, for its provider, its receivers and its community's auditors; FORBIDDEN otherwise. Its `exchanges` are every place for the provider and auditors, a receiver's own for a receiver.",
  })
  groupExchange(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('ExchangeGroup', 'id', { description: 'The group, as `Exchange.groupId` names it.' }) id: string,
  ): Promise<ExchangeGroup> {
    return this.service.visibleGroup(actor, id);
  }

  @Mutation(() => ExchangeGroupPayload, {
    description: `A provider offers a place to each of several receivers (a class, a repair day); each accepts their own. ${rateLimitNote(RATE_LIMITS.proposeGroupExchange)}`,
  })
  @RateLimited(RATE_LIMITS.proposeGroupExchange)
  proposeGroupExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The receivers, the estimate per place and what it is about.' })
    input: ProposeGroupExchangeInput,
  ): Promise<ExchangeGroupPayload> {
    return this.service.proposeGroup(actor, input);
  }

  @Mutation(() => ExchangeGroupPayload, {
    description: 'The provider settles every accepted place of the group as one linked batch, each up to its hold.',
  })
  settleExchangeGroup(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The group, and what each place came to.' }) input: SettleExchangeGroupInput,
  ): Promise<ExchangeGroupPayload> {
    return this.service.settleGroup(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: "The other party accepts: the estimate is held on the receiver's account (and goods reserved).",
  })
  acceptExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The proposed exchange to accept.' }) input: ExchangeActionInput,
  ): Promise<ExchangePayload> {
    return this.service.accept(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'The provider marks the work delivered and states the actual amount.',
  })
  markExchangeDelivered(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, and what it actually came to.' }) input: MarkDeliveredInput,
  ): Promise<ExchangePayload> {
    return this.service.markDelivered(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'The receiver confirms; the hold posts, in part or with an approved extra.',
  })
  confirmExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, and whether you approve paying above the hold.' })
    input: ConfirmExchangeInput,
  ): Promise<ExchangePayload> {
    return this.service.confirm(actor, input);
  }

  @Mutation(() => ExchangePayload, { description: 'Either party, before delivery; the hold is released.' })
  cancelExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, and optionally why.' }) input: ExchangeActionInput,
  ): Promise<ExchangePayload> {
    return this.service.cancel(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'Either party, after delivery, with a reason; a coordinator resolves it.',
  })
  disputeExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, and why it is disputed.' }) input: ExchangeActionInput,
  ): Promise<ExchangePayload> {
    return this.service.dispute(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: "Coordinators of the exchange's community: post in full, in part, or void, with a reason. Audited.",
  })
  resolveExchangeDispute(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, the outcome and why.' }) input: ResolveDisputeInput,
  ): Promise<ExchangePayload> {
    return this.service.resolveDispute(actor, input);
  }

  @Mutation(() => ReviewPayload, { description: 'After settlement, each party may review the other once.' })
  reviewExchange(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The exchange, the rating and a comment.' }) input: ReviewExchangeInput,
  ): Promise<ReviewPayload> {
    return this.service.review(actor, input);
  }

  @ResolveField(() => Community, { description: COMMUNITY_NOTE })
  community(@Parent() exchange: Exchange, @Context() context: object): Promise<Community> {
    return this.related.communities.load(context, exchange.communityId);
  }

  @ResolveField(() => ExchangeGroup, {
    nullable: true,
    description: 'For a place in a group exchange: its group (the object of `groupId`). Null otherwise.',
  })
  group(@Parent() exchange: Exchange, @Context() context: object): Promise<ExchangeGroup | null> {
    const { groupId } = exchange;
    return groupId === null ? Promise.resolve(null) : this.service.groupOfPlace(groupId, context);
  }

  @ResolveField(() => Transfer, {
    nullable: true,
    description:
      'The hold (the object of `holdTransferId`), as `transfer(id)` shows it to you: null before acceptance, or when you may not see it.',
  })
  holdTransfer(
    @CurrentActor() actor: Actor,
    @Parent() exchange: Exchange,
    @Context() context: object,
  ): Promise<Transfer | null> {
    const { holdTransferId } = exchange;
    return holdTransferId === null
      ? Promise.resolve(null)
      : this.related.ledger.visibleTransfer(actor, holdTransferId, context);
  }

  @ResolveField(() => Listing, { nullable: true, description: LISTING_NOTE })
  listing(
    @CurrentActor() actor: Actor,
    @Parent() exchange: Exchange,
    @Context() context: object,
  ): Promise<Listing | null> {
    return this.related.listing(actor, exchange.listingId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('proposerId') })
  proposer(
    @CurrentActor() actor: Actor,
    @Parent() exchange: Exchange,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.related.members.visibleMember(actor, exchange.proposerId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('providerId') })
  provider(
    @CurrentActor() actor: Actor,
    @Parent() exchange: Exchange,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.related.members.visibleMember(actor, exchange.providerId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('receiverId') })
  receiver(
    @CurrentActor() actor: Actor,
    @Parent() exchange: Exchange,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.related.members.visibleMember(actor, exchange.receiverId, context);
  }
}

@Resolver(() => ExchangeGroup)
export class ExchangeGroupResolver {
  constructor(
    private readonly service: ExchangesService,
    private readonly related: RelatedObjects,
  ) {}

  @ResolveField(() => [Exchange], {
    description:
      "The group's places: every one for its provider and its community's auditors; a receiver's own for a receiver.",
  })
  exchanges(@CurrentActor() actor: Actor, @Parent() group: ExchangeGroup): Promise<Exchange[]> {
    return this.service.placesVisibleTo(actor, group);
  }

  @ResolveField(() => Community, { description: COMMUNITY_NOTE })
  community(@Parent() group: ExchangeGroup, @Context() context: object): Promise<Community> {
    return this.related.communities.load(context, group.communityId);
  }

  @ResolveField(() => Listing, { nullable: true, description: LISTING_NOTE })
  listing(
    @CurrentActor() actor: Actor,
    @Parent() group: ExchangeGroup,
    @Context() context: object,
  ): Promise<Listing | null> {
    return this.related.listing(actor, group.listingId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('providerId') })
  provider(
    @CurrentActor() actor: Actor,
    @Parent() group: ExchangeGroup,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.related.members.visibleMember(actor, group.providerId, context);
  }
}

/** A member's reviews are shown to whoever sees the member; the exchange reviewed only to its parties and auditors. */
@Resolver(() => Review)
export class ReviewResolver {
  constructor(
    private readonly service: ExchangesService,
    private readonly related: RelatedObjects,
  ) {}

  @ResolveField(() => Exchange, {
    nullable: true,
    description:
      'The exchange reviewed (the object of `exchangeId`), as `exchange(id)` shows it to you: null when you may not see it.',
  })
  exchange(
    @CurrentActor() actor: Actor,
    @Parent() review: Review,
    @Context() context: object,
  ): Promise<Exchange | null> {
    return this.service.visibleExchangeOrNull(actor, review.exchangeId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('authorId') })
  author(@CurrentActor() actor: Actor, @Parent() review: Review, @Context() context: object): Promise<Member | null> {
    return this.related.members.visibleMember(actor, review.authorId, context);
  }

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('subjectId') })
  subject(@CurrentActor() actor: Actor, @Parent() review: Review, @Context() context: object): Promise<Member | null> {
    return this.related.members.visibleMember(actor, review.subjectId, context);
  }
}

const REVIEW_SUMMARIES = Symbol('reviewSummaries');
const NO_REVIEWS: ReviewSummary = { count: 0, averageRating: null };
const LATEST_REVIEWS_OF = Symbol('latestReviews');

/** A member's reviews, loaded for a page of members at once (one query per kind), not one query per member. */
@Resolver(() => Member)
export class MemberReviewsResolver {
  constructor(private readonly service: ExchangesService) {}

  @ResolveField(() => ReviewSummary, { description: 'What others said of this member after settled exchanges.' })
  async reviewSummary(@Parent() member: Member, @Context() context: object): Promise<ReviewSummary> {
    const loader = requestLoader(context, REVIEW_SUMMARIES, () => byIds((ids) => this.service.reviewSummaries(ids)));
    return (await loader.load(member.id)) ?? NO_REVIEWS;
  }

  @ResolveField(() => [Review], { description: `The latest ${LATEST_REVIEWS} reviews of this member, newest first.` })
  reviews(@Parent() member: Member, @Context() context: object): Promise<Review[]> {
    const loader = requestLoader(context, LATEST_REVIEWS_OF, () =>
      groupedBy(
        (ids) => this.service.latestReviewsOf(ids),
        (review: Review) => review.subjectId,
      ),
    );
    return loader.load(member.id);
  }
}
