import { Args, Context, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Connection } from '../../libs/graphql/pagination.js';
import { forbidden } from '../access/access.policy.js';
import { CurrentActor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import { PASSWORD_RULE } from '../../libs/security/password-strength.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';
import type { Actor } from '../access/actor.js';
import { AuditEntry } from '../audit/models/audit.models.js';
import { AuthPayload, AuthTokens } from '../identity/models/identity.models.js';
import { Viewer } from '../oauth/models/oauth.models.js';
import { AuthorizedLedgerService } from '../ledger/authorized-ledger.service.js';
import { Account } from '../ledger/models/ledger.models.js';
import {
  AcceptInvitationInput,
  AppointCoordinatorInput,
  CloseMembershipInput,
  InviteMemberInput,
  MembershipActionInput,
  MembershipsArgs,
  PayeesArgs,
  RegisterInput,
  RequestMembershipInput,
  UpdateMemberProfileInput,
  UpdateProfileInput,
} from './dto/member.inputs.js';
import { MembersService } from './members.service.js';
import {
  InvitationPayload,
  Member,
  MemberPayload,
  Membership,
  MembershipConnection,
  MembershipPayload,
  visibleMemberNote,
} from './models/member.models.js';
import { GlobalIdArg } from '../../libs/graphql/global-id.js';

const COORDINATORS = "Coordinators of the membership's community, and admins; audited.";

@Resolver()
export class MembersResolver {
  constructor(private readonly members: MembersService) {}

  @Mutation(() => MemberPayload, {
    description: `Creates a member who can log in; with communityId, also asks to join that community. ${PASSWORD_RULE} ${rateLimitNote(RATE_LIMITS.register)}`,
  })
  @RateLimited(RATE_LIMITS.register)
  register(@Args('input', { description: 'Your login and profile.' }) input: RegisterInput): Promise<MemberPayload> {
    return this.members.register(input);
  }

  @Mutation(() => AuthPayload, {
    description: `Sets an invited member's password with their invitation token, once, and logs them in. ${PASSWORD_RULE} ${rateLimitNote(RATE_LIMITS.acceptInvitation)}`,
  })
  @RateLimited(RATE_LIMITS.acceptInvitation)
  acceptInvitation(
    @Args('input', { description: 'The invitation token and your new password.' }) input: AcceptInvitationInput,
  ): Promise<AuthPayload> {
    return this.members.acceptInvitation(input);
  }

  @Query(() => Member, { description: 'The member you are logged in as.' })
  me(@CurrentActor() actor: Actor): Promise<Member> {
    return this.members.me(actor);
  }

  @Query(() => Member, {
    description: 'A member of a community you are active in, or that you manage. FORBIDDEN otherwise.',
  })
  member(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Member', 'id', { description: "The member's id." }) id: string,
  ): Promise<Member> {
    return this.members.findMember(actor, id);
  }

  @Query(() => Membership, { description: 'Your own membership, or one in a community you manage or audit.' })
  membership(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Membership', 'id', { description: "The membership's id." }) id: string,
  ): Promise<Membership> {
    return this.members.findMembership(actor, id);
  }

  @Query(() => MembershipConnection, {
    description: "A community's memberships, oldest first. Coordinators and admins.",
  })
  memberships(@CurrentActor() actor: Actor, @Args() args: MembershipsArgs): Promise<Connection<Membership>> {
    return this.members.listMemberships(actor, args);
  }

  @Query(() => MembershipConnection, {
    description:
      "Whom you may pay in a community you are an active member of: its other active members' memberships, oldest first, by name if given. Their accountId is what createTransfer takes as creditAccountId; their balances stay theirs. Also for its coordinators and admins.",
  })
  payees(@CurrentActor() actor: Actor, @Args() args: PayeesArgs): Promise<Connection<Membership>> {
    return this.members.listPayees(actor, args);
  }

  @Mutation(() => Member, {
    description: 'Changes your profile. In person only: not through a partner app.',
    deprecationReason: replacedBy('updateMemberProfile'),
  })
  updateProfile(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The fields to change.' }) input: UpdateProfileInput,
  ): Promise<Member> {
    return this.members.updateProfile(actor, input);
  }

  @Mutation(() => MemberPayload, { description: 'Changes your profile. In person only: not through a partner app.' })
  async updateMemberProfile(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The fields to change; a field left out stays as it is.' })
    input: UpdateMemberProfileInput,
  ): Promise<MemberPayload> {
    return { member: await this.members.updateProfile(actor, input), userErrors: [] };
  }

  @Mutation(() => MembershipPayload, {
    description: `Asks to join a community; a coordinator approves. In person only. ${rateLimitNote(RATE_LIMITS.joinCommunity)}`,
    deprecationReason: replacedBy('requestMembership'),
  })
  @RateLimited(RATE_LIMITS.joinCommunity)
  joinCommunity(
    @CurrentActor() actor: Actor,
    @GlobalIdArg('Community', 'communityId', { description: 'The community to join.' }) communityId: string,
  ): Promise<MembershipPayload> {
    return this.members.joinCommunity(actor, communityId);
  }

  @Mutation(() => MembershipPayload, {
    description: `Asks to join a community: the membership is PENDING until a coordinator approves. In person only; its rate limit is joinCommunity's, counted together. ${rateLimitNote(RATE_LIMITS.joinCommunity)}`,
  })
  @RateLimited(RATE_LIMITS.joinCommunity)
  requestMembership(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community to join.' }) input: RequestMembershipInput,
  ): Promise<MembershipPayload> {
    return this.members.requestMembership(actor, input);
  }

  @Mutation(() => MembershipPayload, {
    description: `Approves a pending membership and pays the starter grant, once. ${COORDINATORS}`,
  })
  approveMembership(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The pending membership.' }) input: MembershipActionInput,
  ): Promise<MembershipPayload> {
    return this.members.approve(actor, input);
  }

  @Mutation(() => MembershipPayload, {
    description: `Suspends an active membership: it can no longer pay. Needs a reason. ${COORDINATORS}`,
  })
  suspendMembership(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The active membership, and why it is suspended.' }) input: MembershipActionInput,
  ): Promise<MembershipPayload> {
    return this.members.suspend(actor, input);
  }

  @Mutation(() => MembershipPayload, { description: `Reinstates a suspended membership. ${COORDINATORS}` })
  reinstateMembership(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The suspended membership.' }) input: MembershipActionInput,
  ): Promise<MembershipPayload> {
    return this.members.reinstate(actor, input);
  }

  @Mutation(() => MembershipPayload, {
    description: `Closes a membership and its account. Its holder, at a zero balance; or ${COORDINATORS}`,
  })
  closeMembership(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The membership, and whether to settle its balance to the pool.' })
    input: CloseMembershipInput,
  ): Promise<MembershipPayload> {
    return this.members.close(actor, input);
  }

  @Mutation(() => InvitationPayload, {
    description: `Invites someone new to a community; coordinators and admins. ${rateLimitNote(RATE_LIMITS.inviteMember)}`,
  })
  @RateLimited(RATE_LIMITS.inviteMember)
  inviteMember(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community, and who is invited.' }) input: InviteMemberInput,
  ): Promise<InvitationPayload> {
    return this.members.invite(actor, input);
  }

  @Mutation(() => MembershipPayload, { description: 'Makes a member a coordinator of a community. Admins.' })
  appointCoordinator(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The community and the member.' }) input: AppointCoordinatorInput,
  ): Promise<MembershipPayload> {
    return this.members.appointCoordinator(actor, input);
  }
}

@Resolver(() => Member)
export class MemberResolver {
  constructor(private readonly members: MembersService) {}

  @ResolveField(() => String, {
    nullable: true,
    description: 'For the member and the managers of their communities; null for others.',
  })
  email(@CurrentActor() actor: Actor, @Parent() member: Member, @Context() context: object): Promise<string | null> {
    return this.members.emailOf(actor, member, context);
  }

  @ResolveField(() => [Membership], {
    description: 'All of them for the member; for others, those in communities they manage or audit.',
  })
  memberships(@CurrentActor() actor: Actor, @Parent() member: Member): Promise<Membership[]> {
    return this.members.membershipsOf(actor, member);
  }
}

@Resolver(() => Membership)
export class MembershipResolver {
  constructor(
    private readonly members: MembersService,
    private readonly communities: CommunitiesService,
    private readonly ledger: AuthorizedLedgerService,
  ) {}

  @ResolveField(() => Community, { description: 'The community this membership is in.' })
  community(@Parent() membership: Membership, @Context() context: object): Promise<Community> {
    return this.communities.load(context, membership.communityId);
  }

  /** FORBIDDEN where `member(id)` would be: batched across a page, with the same answer as before. */
  @ResolveField(() => Member, { description: 'The member who holds this membership.' })
  async member(
    @CurrentActor() actor: Actor,
    @Parent() membership: Membership,
    @Context() context: object,
  ): Promise<Member> {
    const member = await this.members.visibleMember(actor, membership.memberId, context);
    if (!member) throw forbidden();
    return member;
  }

  @ResolveField(() => Account, { description: "The membership's account in the community's currency." })
  account(@CurrentActor() actor: Actor, @Parent() membership: Membership): Promise<Account> {
    return this.ledger.findAccount(actor, membership.accountId);
  }
}

/** Lower domains' objects that name a member: their member objects are declared here, where members live. */
@Resolver(() => AuditEntry)
export class AuditEntryMemberResolver {
  constructor(private readonly members: MembersService) {}

  @ResolveField(() => Member, { nullable: true, description: visibleMemberNote('actorMemberId') })
  actorMember(
    @CurrentActor() actor: Actor,
    @Parent() entry: AuditEntry,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.members.visibleMemberOrNull(actor, entry.actorMemberId, context);
  }
}

@Resolver(() => AuthTokens)
export class AuthTokensMemberResolver {
  constructor(private readonly members: MembersService) {}

  /** Only the member who logged in (or refreshed, or accepted an invitation) receives these tokens. */
  @ResolveField(() => Member, { description: 'The member these tokens act as (the object of `memberId`): you.' })
  member(@Parent() tokens: AuthTokens, @Context() context: object): Promise<Member> {
    return this.members.tokenHolder(tokens.memberId, context);
  }
}

@Resolver(() => Viewer)
export class ViewerMemberResolver {
  constructor(private readonly members: MembersService) {}

  @ResolveField(() => Member, {
    nullable: true,
    description: 'The member calling in person (the object of `memberId`); null for others.',
  })
  member(@CurrentActor() actor: Actor, @Parent() viewer: Viewer, @Context() context: object): Promise<Member | null> {
    return this.members.visibleMemberOrNull(actor, viewer.memberId, context);
  }

  @ResolveField(() => Member, {
    nullable: true,
    description:
      'The member the partner app acts for (the object of `actingForMemberId`), with what the app may see of them; null when it acts as itself.',
  })
  actingForMember(
    @CurrentActor() actor: Actor,
    @Parent() viewer: Viewer,
    @Context() context: object,
  ): Promise<Member | null> {
    return this.members.visibleMemberOrNull(actor, viewer.actingForMemberId, context);
  }
}
