import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { MembersService } from '../members/members.service.js';
import { Member, visibleMemberNote } from '../members/models/member.models.js';
import { CreateListingInput, ListingsArgs, UpdateListingInput } from './dto/listing.inputs.js';
import { ListingsService } from './listings.service.js';
import { Listing, ListingCategory, ListingConnection, ListingPayload } from './models/listing.models.js';
import { GlobalIdArg } from '../../libs/graphql/global-id.js';

@Resolver(() => Listing)
export class ListingsResolver {
  constructor(
    private readonly service: ListingsService,
    private readonly communities: CommunitiesService,
    private readonly members: MembersService,
  ) {}

  @Query(() => [ListingCategory], {
    description:
      'The taxonomy of listings, shared by every community. Public. A plain list, not a connection: a short, fixed vocabulary that only a release of Pumasi (a migration) extends; nothing at run time adds a category.',
  })
  listingCategories(): Promise<ListingCategory[]> {
    return this.service.categories();
  }

  @Query(() => ListingConnection, {
    description: "Searches a community's listings, newest first. For its active members and auditors.",
  })
  listings(@CurrentActor() actor: Actor, @Args() args: ListingsArgs): Promise<Connection<Listing>> {
    return this.service.search(actor, args);
  }

  @Query(() => Listing, { description: 'A listing of a community you are active in, or audit. FORBIDDEN otherwise.' })
  listing(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Listing', 'id', { description: "The listing's id." }) id: string,
  ): Promise<Listing> {
    return this.service.find(actor, id);
  }

  @Mutation(() => ListingPayload, {
    description: `Posts an offer or a request. Active members of the community. ${rateLimitNote(RATE_LIMITS.createListing)}`,
  })
  @RateLimited(RATE_LIMITS.createListing)
  createListing(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The new listing.' }) input: CreateListingInput,
  ): Promise<ListingPayload> {
    return this.service.create(actor, input);
  }

  @Mutation(() => ListingPayload, {
    description: 'Changes, pauses, resumes or closes a listing: its author; a coordinator may close it (audited).',
  })
  updateListing(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The listing and what changes.' }) input: UpdateListingInput,
  ): Promise<ListingPayload> {
    return this.service.update(actor, input);
  }

  @ResolveField(() => Community, {
    description: 'The community it was posted in (the object of `communityId`). Public.',
  })
  community(@Parent() listing: Listing, @Context() context: object): Promise<Community> {
    return this.communities.load(context, listing.communityId);
  }

  /** Its author may have left the community since: then only its auditors still see them. */
  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('memberId') })
  member(@CurrentActor() actor: Actor, @Parent() listing: Listing, @Context() context: object): Promise<Member | null> {
    return this.members.visibleMember(actor, listing.memberId, context);
  }
}
