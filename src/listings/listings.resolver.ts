import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { CreateListingInput, ListingsArgs, UpdateListingInput } from './dto/listing.inputs.js';
import { ListingsService } from './listings.service.js';
import { Listing, ListingCategory, ListingConnection, ListingPayload } from './models/listing.models.js';

@Resolver(() => Listing)
export class ListingsResolver {
  constructor(private readonly service: ListingsService) {}

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
  listing(@CurrentActor() actor: Actor, @Args('id', { type: () => ID }) id: string): Promise<Listing> {
    return this.service.find(actor, id);
  }

  @Mutation(() => ListingPayload, {
    description: `Posts an offer or a request. Active members of the community. ${rateLimitNote(RATE_LIMITS.createListing)}`,
  })
  @RateLimited(RATE_LIMITS.createListing)
  createListing(@CurrentActor() actor: Actor, @Args('input') input: CreateListingInput): Promise<ListingPayload> {
    return this.service.create(actor, input);
  }

  @Mutation(() => ListingPayload, {
    description: 'Changes, pauses, resumes or closes a listing: its author; a coordinator may close it (audited).',
  })
  updateListing(@CurrentActor() actor: Actor, @Args('input') input: UpdateListingInput): Promise<ListingPayload> {
    return this.service.update(actor, input);
  }
}
