import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { Member } from '../members/models/member.models.js';
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
import { ExchangesService } from './exchanges.service.js';
import {
  Exchange,
  ExchangeConnection,
  ExchangeGroup,
  ExchangeGroupPayload,
  ExchangePayload,
  Review,
  ReviewPayload,
  ReviewSummary,
} from './models/exchange.models.js';

@Resolver(() => Exchange)
export class ExchangesResolver {
  constructor(private readonly service: ExchangesService) {}

  @Query(() => Exchange, { description: 'An exchange you are party to, or audit. FORBIDDEN otherwise.' })
  exchange(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Exchange> {
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
  proposeExchange(@CurrentActor() actor: Actor, @Args('input') input: ProposeExchangeInput): Promise<ExchangePayload> {
    return this.service.propose(actor, input);
  }

  @Query(() => ExchangeGroupPayload, {
    description: 'A group exchange: its provider and auditors see every place, a receiver their own.',
    deprecationReason:
      'Use `groupExchange`, which returns the ExchangeGroup itself, its places in `exchanges`. Removed on or after 2027-06-01.',
  })
  exchangeGroup(
    @CurrentActor() actor: Actor,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<ExchangeGroupPayload> {
    return this.service.findGroup(actor, id);
  }

  @Query(() => ExchangeGroup, {
    description:
      "A group exchange, for its provider, its receivers and its community's auditors; FORBIDDEN otherwise. Its `exchanges` are every place for the provider and auditors, a receiver's own for a receiver.",
  })
  groupExchange(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<ExchangeGroup> {
    return this.service.visibleGroup(actor, id);
  }

  @Mutation(() => ExchangeGroupPayload, {
    description: `A provider offers a place to each of several receivers (a class, a repair day); each accepts their own. ${rateLimitNote(RATE_LIMITS.proposeGroupExchange)}`,
  })
  @RateLimited(RATE_LIMITS.proposeGroupExchange)
  proposeGroupExchange(
    @CurrentActor() actor: Actor,
    @Args('input') input: ProposeGroupExchangeInput,
  ): Promise<ExchangeGroupPayload> {
    return this.service.proposeGroup(actor, input);
  }

  @Mutation(() => ExchangeGroupPayload, {
    description: 'The provider settles every accepted place of the group as one linked batch, each up to its hold.',
  })
  settleExchangeGroup(
    @CurrentActor() actor: Actor,
    @Args('input') input: SettleExchangeGroupInput,
  ): Promise<ExchangeGroupPayload> {
    return this.service.settleGroup(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: "The other party accepts: the estimate is held on the receiver's account (and goods reserved).",
  })
  acceptExchange(@CurrentActor() actor: Actor, @Args('input') input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.service.accept(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'The provider marks the work delivered and states the actual amount.',
  })
  markExchangeDelivered(
    @CurrentActor() actor: Actor,
    @Args('input') input: MarkDeliveredInput,
  ): Promise<ExchangePayload> {
    return this.service.markDelivered(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'The receiver confirms; the hold posts, in part or with an approved extra.',
  })
  confirmExchange(@CurrentActor() actor: Actor, @Args('input') input: ConfirmExchangeInput): Promise<ExchangePayload> {
    return this.service.confirm(actor, input);
  }

  @Mutation(() => ExchangePayload, { description: 'Either party, before delivery; the hold is released.' })
  cancelExchange(@CurrentActor() actor: Actor, @Args('input') input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.service.cancel(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: 'Either party, after delivery, with a reason; a coordinator resolves it.',
  })
  disputeExchange(@CurrentActor() actor: Actor, @Args('input') input: ExchangeActionInput): Promise<ExchangePayload> {
    return this.service.dispute(actor, input);
  }

  @Mutation(() => ExchangePayload, {
    description: "Coordinators of the exchange's community: post in full, in part, or void, with a reason. Audited.",
  })
  resolveExchangeDispute(
    @CurrentActor() actor: Actor,
    @Args('input') input: ResolveDisputeInput,
  ): Promise<ExchangePayload> {
    return this.service.resolveDispute(actor, input);
  }

  @Mutation(() => ReviewPayload, { description: 'After settlement, each party may review the other once.' })
  reviewExchange(@CurrentActor() actor: Actor, @Args('input') input: ReviewExchangeInput): Promise<ReviewPayload> {
    return this.service.review(actor, input);
  }
}

@Resolver(() => ExchangeGroup)
export class ExchangeGroupResolver {
  constructor(private readonly service: ExchangesService) {}

  @ResolveField(() => [Exchange], {
    description:
      "The group's places: every one for its provider and its community's auditors; a receiver's own for a receiver.",
  })
  exchanges(@CurrentActor() actor: Actor, @Parent() group: ExchangeGroup): Promise<Exchange[]> {
    return this.service.placesVisibleTo(actor, group);
  }
}

@Resolver(() => Member)
export class MemberReviewsResolver {
  constructor(private readonly service: ExchangesService) {}

  @ResolveField(() => ReviewSummary, { description: 'What others said of this member after settled exchanges.' })
  reviewSummary(@Parent() member: Member): Promise<ReviewSummary> {
    return this.service.reviewSummary(member.id);
  }

  @ResolveField(() => [Review], { description: 'The latest 50 reviews of this member, newest first.' })
  reviews(@Parent() member: Member): Promise<Review[]> {
    return this.service.reviewsOf(member.id);
  }
}
