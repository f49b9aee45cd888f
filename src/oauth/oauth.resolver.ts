import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { RevokePartnerAppConsentsInput, UpdatePartnerAppProfileInput } from './dto/oauth.inputs.js';
import {
  PartnerConsent,
  RevokePartnerAppConsentsPayload,
  UpdatePartnerAppProfilePayload,
  Viewer,
} from './models/oauth.models.js';
import { PartnerAccessService } from './partner-access.service.js';

@Resolver()
export class OAuthResolver {
  constructor(private readonly partners: PartnerAccessService) {}

  @Query(() => Viewer, {
    description:
      'Who is calling: nobody, a member, an admin, or a partner app (as itself, or for a member), with its scopes. ' +
      'Anyone may ask, partner apps included (unlike `me`).',
  })
  viewer(@CurrentActor() actor: Actor): Promise<Viewer> {
    return this.partners.viewer(actor);
  }

  @Query(() => [PartnerConsent], {
    description:
      'The partner apps you let act for you, with what they may do, newest first. In person only. ' +
      'Withdraw one with withdrawPartnerAppConsent: its tokens stop working at once.',
  })
  partnerConsents(@CurrentActor() actor: Actor): Promise<PartnerConsent[]> {
    return this.partners.consentsOf(actor);
  }

  @Mutation(() => UpdatePartnerAppProfilePayload, {
    description:
      "Coordinators and admins: sets a partner app's OAuth redirect URIs and the metadata members see " +
      'before approving it (owner, website, logo, contact). Audited.',
  })
  updatePartnerAppProfile(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The whole profile.' }) input: UpdatePartnerAppProfileInput,
  ): Promise<UpdatePartnerAppProfilePayload> {
    return this.partners.updateProfile(actor, input);
  }

  @Mutation(() => RevokePartnerAppConsentsPayload, {
    description:
      "Coordinators and admins: ends members' consents to a partner app of their community (one member's, or all), " +
      'and every OAuth token issued under them, at once, leaving the app and its API key in place. Audited.',
  })
  revokePartnerAppConsents(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Which consents, and why.' }) input: RevokePartnerAppConsentsInput,
  ): Promise<RevokePartnerAppConsentsPayload> {
    return this.partners.revokeConsents(actor, input);
  }
}

@Resolver(() => Viewer)
export class ViewerCommunityResolver {
  constructor(private readonly communities: CommunitiesService) {}

  @ResolveField(() => Community, {
    nullable: true,
    description: "The one community a partner app's rights are confined to (the object of `communityId`). Public.",
  })
  community(@Parent() viewer: Viewer, @Context() context: object): Promise<Community | null> {
    const { communityId } = viewer;
    return communityId === null ? Promise.resolve(null) : this.communities.load(context, communityId);
  }
}
