import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountedConnection, PageArgs, replacedByConnection } from '../../libs/graphql/pagination.js';
import { ClientAddress, CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { AuditEntry } from '../audit/models/audit.models.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import {
  ChangePasswordInput,
  CreatePartnerAppInput,
  DeregisterPartnerAppInput,
  EndSessionInput,
  LoginInput,
  PartnerAppsArgs,
  PartnerAppConsentInput,
  RefreshTokensInput,
  RegisterPartnerAppInput,
  ReplacePartnerAppKeyInput,
  RevokeMemberSessionsArgs,
  RevokePartnerAppArgs,
  SignOutInput,
  SignOutMemberInput,
} from './dto/identity.inputs.js';
import { PartnerAppErrorCode, partnerAppError, SessionErrorCode, sessionError } from './identity.errors.js';
import { IdentityService } from './identity.service.js';
import {
  AuthPayload,
  ChangePasswordPayload,
  EndSessionPayload,
  NewPartnerAppKeyPayload,
  PartnerApp,
  PartnerAppConnection,
  PartnerAppConsentPayload,
  PartnerAppKeyPayload,
  PartnerAppPayload,
  Session,
  SessionConnection,
  SignOutPayload,
} from './models/identity.models.js';
import { PartnerAppsService } from './partner-apps.service.js';
import { PASSWORD_RULE } from '../../libs/security/password-strength.js';
import { replacedBy } from '../../libs/graphql/user-errors.js';

@Resolver()
export class IdentityResolver {
  constructor(
    private readonly identity: IdentityService,
    private readonly apps: PartnerAppsService,
  ) {}

  @Mutation(() => AuthPayload, {
    description:
      'Starts a session. Each guess counts before the password is checked: by default 5 wrong passwords in 15 minutes for one email from one address, ' +
      '50 an hour for one email from anywhere, or 30 in 15 minutes from one address for any email; beyond them, TOO_MANY_ATTEMPTS. The right password resets the first count.',
  })
  login(
    @Args('input', { description: 'Email and password.' }) input: LoginInput,
    @ClientAddress() address: string,
  ): Promise<AuthPayload> {
    return this.identity.login(input, address);
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for new tokens; the old pair stops working.' })
  refreshTokens(
    @Args('input', { description: 'The refresh token to exchange.' }) input: RefreshTokensInput,
  ): Promise<AuthPayload> {
    return this.identity.refreshTokens(input.refreshToken);
  }

  @Mutation(() => Int, {
    description: 'Ends this session, or all of your sessions; returns how many ended. Effective at once.',
    deprecationReason: replacedBy('signOut'),
  })
  logout(
    @CurrentActor() actor: Actor,
    @Args('everywhere', {
      defaultValue: false,
      description: 'True ends every session of yours; false only the one this request is made with.',
    })
    everywhere: boolean,
  ): Promise<number> {
    return this.identity.logout(actor, everywhere);
  }

  @Mutation(() => SignOutPayload, {
    description: 'Ends this session, or with `everywhere` all of your sessions, at once. In person only.',
  })
  async signOut(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Which sessions to end.' }) input: SignOutInput,
  ): Promise<SignOutPayload> {
    return { endedSessions: await this.identity.logout(actor, input.everywhere), userErrors: [] };
  }

  @Query(() => [Session], {
    description: 'Your live sessions, newest first.',
    deprecationReason: replacedByConnection('sessionsConnection'),
  })
  sessions(@CurrentActor() actor: Actor): Promise<Session[]> {
    return this.identity.sessions(actor);
  }

  @Query(() => SessionConnection, {
    description: 'Your live sessions, a page at a time, newest first. In person only, as sessions.',
  })
  sessionsConnection(@CurrentActor() actor: Actor, @Args() page: PageArgs): Promise<CountedConnection<Session>> {
    return this.identity.sessionsPage(actor, page);
  }

  @Mutation(() => Boolean, {
    description: 'Ends one of your sessions at once (a lost phone). False when it is not one of your live sessions.',
    deprecationReason: replacedBy('endSession'),
  })
  revokeSession(
    @CurrentActor() actor: Actor,
    @Args('sessionId', { type: () => ID, description: 'One of your sessions, from `sessions`.' }) sessionId: string,
  ): Promise<boolean> {
    return this.identity.revokeSession(actor, sessionId);
  }

  @Mutation(() => EndSessionPayload, {
    description:
      'Ends one of your sessions at once (a lost phone). SESSION_NOT_FOUND when it is not one of your live sessions. In person only.',
  })
  async endSession(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The session to end.' }) input: EndSessionInput,
  ): Promise<EndSessionPayload> {
    return (await this.identity.revokeSession(actor, input.sessionId))
      ? { sessionId: input.sessionId, userErrors: [] }
      : { sessionId: null, userErrors: [sessionError(SessionErrorCode.SESSION_NOT_FOUND)] };
  }

  @Mutation(() => ChangePasswordPayload, {
    description: `Changes your password, in person; every other session of yours ends. The current password is checked under login's limits. ${PASSWORD_RULE} ${rateLimitNote(RATE_LIMITS.changePassword)}`,
  })
  @RateLimited(RATE_LIMITS.changePassword)
  changePassword(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The current and the new password.' }) input: ChangePasswordInput,
    @ClientAddress() address: string,
  ): Promise<ChangePasswordPayload> {
    return this.identity.changePassword(actor, input, address);
  }

  @Mutation(() => Int, {
    description: 'Admins: ends every session of a member at once; returns how many ended. Audited.',
    deprecationReason: replacedBy('signOutMember'),
  })
  revokeMemberSessions(@CurrentActor() actor: Actor, @Args() args: RevokeMemberSessionsArgs): Promise<number> {
    return this.identity.revokeMemberSessions(actor, args.memberId, args.reason);
  }

  @Mutation(() => SignOutPayload, {
    description: 'Admins: ends every session of a member at once (a lost device, a compromised account). Audited.',
  })
  async signOutMember(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'Whose sessions to end, and why.' }) input: SignOutMemberInput,
  ): Promise<SignOutPayload> {
    return {
      endedSessions: await this.identity.revokeMemberSessions(actor, input.memberId, input.reason),
      userErrors: [],
    };
  }

  @Mutation(() => PartnerAppKeyPayload, {
    description: 'Coordinators and admins: registers a partner app for a community and issues its first key.',
    deprecationReason: replacedBy('createPartnerApp'),
  })
  registerPartnerApp(
    @CurrentActor() actor: Actor,
    @Args('input', { description: "The app's name, community and scopes." }) input: RegisterPartnerAppInput,
  ): Promise<PartnerAppKeyPayload> {
    return this.apps.register(actor, input);
  }

  @Mutation(() => NewPartnerAppKeyPayload, {
    description: 'Coordinators and admins: registers a partner app for a community and issues its first key. Audited.',
  })
  createPartnerApp(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The app to register: its community, name and scopes.' })
    input: CreatePartnerAppInput,
  ): Promise<NewPartnerAppKeyPayload> {
    return this.apps.register(actor, input);
  }

  @Mutation(() => PartnerAppKeyPayload, {
    description: 'Issues a new key for a partner app; the old key stops working at once.',
    deprecationReason: replacedBy('replacePartnerAppKey'),
  })
  rotatePartnerAppKey(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app whose key is replaced.' })
    partnerAppId: string,
  ): Promise<PartnerAppKeyPayload> {
    return this.apps.rotateKey(actor, partnerAppId);
  }

  @Mutation(() => NewPartnerAppKeyPayload, {
    description:
      'Coordinators and admins: issues a new key for a live partner app of their community; the old key stops working at once. Audited.',
  })
  replacePartnerAppKey(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The app whose key to replace.' }) input: ReplacePartnerAppKeyInput,
  ): Promise<NewPartnerAppKeyPayload> {
    return this.apps.rotateKey(actor, input.partnerAppId);
  }

  @Mutation(() => PartnerApp, {
    description: 'Revokes a partner app and its key, at once.',
    deprecationReason: replacedBy('deregisterPartnerApp'),
  })
  revokePartnerApp(@CurrentActor() actor: Actor, @Args() args: RevokePartnerAppArgs): Promise<PartnerApp> {
    return this.apps.revoke(actor, args.partnerAppId, args.reason ?? null);
  }

  @Mutation(() => PartnerAppPayload, {
    description:
      'Coordinators and admins: revokes a partner app of their community for good: its key, and every OAuth token issued to it, stop working at once. Audited.',
  })
  async deregisterPartnerApp(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The app to revoke, and why.' }) input: DeregisterPartnerAppInput,
  ): Promise<PartnerAppPayload> {
    return { partnerApp: await this.apps.revoke(actor, input.partnerAppId, input.reason ?? null), userErrors: [] };
  }

  @Mutation(() => Boolean, {
    description: 'Lets a partner app with the ACT_FOR_MEMBER scope act for you. In person only.',
    deprecationReason: replacedBy('grantPartnerAppConsent'),
  })
  grantPartnerConsent(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app that may act for you.' })
    partnerAppId: string,
  ): Promise<boolean> {
    return this.apps.grantConsent(actor, partnerAppId);
  }

  @Mutation(() => PartnerAppConsentPayload, {
    description:
      'Lets a live partner app with the ACT_FOR_MEMBER scope act for you; FORBIDDEN for any other app. In person only. Audited.',
  })
  async grantPartnerAppConsent(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The app you allow to act for you.' }) input: PartnerAppConsentInput,
  ): Promise<PartnerAppConsentPayload> {
    await this.apps.grantConsent(actor, input.partnerAppId);
    return { partnerAppId: input.partnerAppId, userErrors: [] };
  }

  @Mutation(() => Boolean, {
    description:
      'Withdraws your consent; the app can no longer act for you. False if there was none. In person only: no app withdraws your consent to another.',
    deprecationReason: replacedBy('withdrawPartnerAppConsent'),
  })
  revokePartnerConsent(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app that may no longer act for you.' })
    partnerAppId: string,
  ): Promise<boolean> {
    return this.apps.revokeConsent(actor, partnerAppId);
  }

  @Mutation(() => PartnerAppConsentPayload, {
    description:
      'Withdraws your consent to a partner app, and ends the OAuth tokens issued under it, at once: the app can no longer act for you. ' +
      'CONSENT_NOT_FOUND if there was none. In person only: no app withdraws your consent to another. Audited.',
  })
  async withdrawPartnerAppConsent(
    @CurrentActor() actor: Actor,
    @Args('input', { description: 'The app whose consent to withdraw.' }) input: PartnerAppConsentInput,
  ): Promise<PartnerAppConsentPayload> {
    return (await this.apps.revokeConsent(actor, input.partnerAppId))
      ? { partnerAppId: input.partnerAppId, userErrors: [] }
      : { partnerAppId: null, userErrors: [partnerAppError(PartnerAppErrorCode.CONSENT_NOT_FOUND)] };
  }

  @Query(() => [PartnerApp], {
    description: "Coordinators and admins: a community's partner apps.",
    deprecationReason: replacedByConnection('partnerAppsConnection'),
  })
  partnerApps(
    @CurrentActor() actor: Actor,
    @Args('communityId', { type: () => ID, description: 'The community whose partner apps to list.' })
    communityId: string,
  ): Promise<PartnerApp[]> {
    return this.apps.listFor(actor, communityId);
  }

  @Query(() => PartnerAppConnection, {
    description:
      "Coordinators and admins: a community's partner apps, revoked ones included, a page at a time, oldest first.",
  })
  partnerAppsConnection(
    @CurrentActor() actor: Actor,
    @Args() args: PartnerAppsArgs,
  ): Promise<CountedConnection<PartnerApp>> {
    return this.apps.pageFor(actor, args.communityId, args);
  }
}

@Resolver(() => PartnerApp)
export class PartnerAppCommunityResolver {
  constructor(private readonly communities: CommunitiesService) {}

  @ResolveField(() => Community, {
    description: 'The one community it is scoped to (the object of `communityId`). Public.',
  })
  community(@Parent() app: PartnerApp, @Context() context: object): Promise<Community> {
    return this.communities.load(context, app.communityId);
  }
}

/** The audit log is a lower domain's: its entries learn their partner app here. */
@Resolver(() => AuditEntry)
export class AuditEntryPartnerAppResolver {
  constructor(private readonly apps: PartnerAppsService) {}

  @ResolveField(() => PartnerApp, {
    nullable: true,
    description:
      'The partner app it came through (the object of `partnerAppId`), for the managers of its community, as `partnerApps` shows it: null for others, or without one.',
  })
  partnerApp(
    @CurrentActor() actor: Actor,
    @Parent() entry: AuditEntry,
    @Context() context: object,
  ): Promise<PartnerApp | null> {
    const { partnerAppId } = entry;
    return partnerAppId === null ? Promise.resolve(null) : this.apps.visiblePartnerApp(actor, partnerAppId, context);
  }
}
