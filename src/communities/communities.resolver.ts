import { Args, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountedConnection, PageArgs, replacedBy } from '../../libs/graphql/pagination.js';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { Currency } from '../ledger/models/ledger.models.js';
import { CommunitiesService } from './communities.service.js';
import { CreateCommunityInput, UpdateCommunityPoliciesInput } from './dto/community.inputs.js';
import { Community, CommunityConnection, CommunityPayload, CommunityPolicies } from './models/community.models.js';

@Resolver(() => Community)
export class CommunitiesResolver {
  constructor(private readonly service: CommunitiesService) {}

  @Query(() => [Community], {
    description: 'The communities hosted on this server. Public.',
    deprecationReason: replacedBy('communitiesConnection'),
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
  community(@Args('slug') slug: string): Promise<Community | null> {
    return this.service.findBySlug(slug);
  }

  @Mutation(() => CommunityPayload, { description: 'Creates a community with its currency and policies. Admins.' })
  createCommunity(@CurrentActor() actor: Actor, @Args('input') input: CreateCommunityInput): Promise<CommunityPayload> {
    return this.service.create(actor, input);
  }

  @Mutation(() => CommunityPayload, {
    description:
      "Changes a community's policies; the change is audited with the rules before and after. Coordinators and admins.",
  })
  updateCommunityPolicies(
    @CurrentActor() actor: Actor,
    @Args('input') input: UpdateCommunityPoliciesInput,
  ): Promise<CommunityPayload> {
    return this.service.updatePolicies(actor, input);
  }

  @ResolveField(() => [Currency])
  currencies(@Parent() community: Community): Promise<Currency[]> {
    return this.service.currenciesOf(community.id);
  }

  @ResolveField(() => CommunityPolicies, { description: 'Public: what joining means.' })
  async policies(@Parent() community: Community): Promise<CommunityPolicies> {
    return (await this.service.policies(community.id))!;
  }
}
