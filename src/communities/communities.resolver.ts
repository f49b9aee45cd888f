import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountedConnection, PageArgs, replacedByConnection } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { AuditEntry } from '../audit/models/audit.models.js';
import { Currency } from '../ledger/models/ledger.models.js';
import { CommunitiesService } from './communities.service.js';
import { CreateCommunityInput, UpdateCommunityPoliciesInput } from './dto/community.inputs.js';
import { Community, CommunityConnection, CommunityPayload, CommunityPolicies } from './models/community.models.js';

@Resolver(() => Community)
export class CommunitiesResolver {
  constructor(private readonly service: CommunitiesService) {}

  @Query(() => [Community], {
    description: 'The communities hosted on this server. Public.',
    deprecationReason: replacedByConnection('communitiesConnection'),
  })
  communities(): Promise<Community[]> {
    return this.service.list();
  }

  @Query(() => CommunityConnection, {
    description: 'The communities hosted on this server, a page at a time, oldest first. Public.',
  })
  communitiesConnection(@Args() page: PageArgs): Promise<CountedConnection<Community>> {
    return this.service.page(page);
  }

  @Query(() => Community, { nullable: true, description: 'A community by its slug. Public.' })
  community(@Args('slug', { description: "The community's slug." }) slug: string): Promise<Community | null> {
    return this.service.findBySlug(slug);
  }

  @Mutation(() => CommunityPayload, { description: 'Creates a community with its currency and policies. Admins.' })
  createCommunity(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community, its currency and policies.' }) input: CreateCommunityInput,
  ): Promise<CommunityPayload> {
    return this.service.create(actor, input);
  }

  @Mutation(() => CommunityPayload, {
    description:
      "Changes a community's policies; the change is audited with the rules before and after. Coordinators and admins.",
  })
  updateCommunityPolicies(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community, the policies to change and why.' })
    input: UpdateCommunityPoliciesInput,
  ): Promise<CommunityPayload> {
    return this.service.updatePolicies(actor, input);
  }

  @ResolveField(() => [Currency], { description: 'The currencies of this community; today there is exactly one.' })
  currencies(@Parent() community: Community): Promise<Currency[]> {
    return this.service.currenciesOf(community.id);
  }

  @ResolveField(() => CommunityPolicies, { description: 'Public: what joining means.' })
  async policies(@Parent() community: Community): Promise<CommunityPolicies> {
    return (await this.service.policies(community.id))!;
  }
}

/** The audit log is a lower domain's: its entries learn their community here, communities being public. */
@Resolver(() => AuditEntry)
export class AuditEntryCommunityResolver {
  constructor(private readonly service: CommunitiesService) {}

  @ResolveField(() => Community, {
    nullable: true,
    description: 'The community it was done in (the object of `communityId`); null for server-wide actions.',
  })
  community(@Parent() entry: AuditEntry, @Context() context: object): Promise<Community | null> {
    return entry.communityId === null ? Promise.resolve(null) : this.service.load(context, entry.communityId);
  }
}
