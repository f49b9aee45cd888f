import { Args, Context, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CountedConnection, PageArgs, replacedBy } from '../../libs/graphql/pagination.js';
import { ClientAddress, CurrentActor } from '../access/actor.js';
import { RateLimited } from '../access/rate-limited.js';
import { RATE_LIMITS, rateLimitNote } from '../access/rate-limits.js';
import type { Actor } from '../access/actor.js';
import { AuditEntry } from '../audit/models/audit.models.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { Community } from '../communities/models/community.models.js';
import {
  ChangePasswordInput,
  LoginInput,
  PartnerAppsArgs,
  RefreshTokensInput,
  RegisterPartnerAppInput,
  RevokeMemberSessionsArgs,
  RevokePartnerAppArgs,
} from './dto/identity.inputs.js';
import { IdentityService } from './identity.service.js';
import {
  AuthPayload,
  ChangePasswordPayload,
  PartnerApp,
  PartnerAppConnection,
  PartnerAppKeyPayload,
  Session,
  SessionConnection,
} from './models/identity.models.js';
import { PartnerAppsService } from './partner-apps.service.js';
import { PASSWORD_RULE } from '../../libs/security/password-strength.js';

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

  @Query(() => [Session], {
    description: 'Your live sessions, newest first.',
    deprecationReason: replacedBy('sessionsConnection'),
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
  })
  revokeSession(
    @CurrentActor() actor: Actor,
    @Args('sessionId', { type: () => ID, description: 'One of your sessions, from `sessions`.' }) sessionId: string,
  ): Promise<boolean> {
    return this.identity.revokeSession(actor, sessionId);
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
  })
  revokeMemberSessions(@CurrentActor() actor: Actor, @Args() args: RevokeMemberSessionsArgs): Promise<number> {
    return this.identity.revokeMemberSessions(actor, args.memberId, args.reason);
  }

  @Mutation(() => PartnerAppKeyPayload, {
    description: 'Coordinators and admins: registers a partner app for a community and issues its first key.',
  })
  registerPartnerApp(
    @CurrentActor() actor: Actor,
    @Args('input', { description: "The app's name, community and scopes." }) input: RegisterPartnerAppInput,
  ): Promise<PartnerAppKeyPayload> {
    return this.apps.register(actor, input);
  }

  @Mutation(() => PartnerAppKeyPayload, {
    description: 'Issues a new key for a partner app; the old key stops working at once.',
  })
  rotatePartnerAppKey(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app whose key is replaced.' })
    partnerAppId: string,
  ): Promise<PartnerAppKeyPayload> {
    return this.apps.rotateKey(actor, partnerAppId);
  }

  @Mutation(() => PartnerApp, { description: 'Revokes a partner app and its key, at once.' })
  revokePartnerApp(@CurrentActor() actor: Actor, @Args() args: RevokePartnerAppArgs): Promise<PartnerApp> {
    return this.apps.revoke(actor, args.partnerAppId, args.reason ?? null);
  }

  @Mutation(() => Boolean, {
    description: 'Lets a partner app with the ACT_FOR_MEMBER scope act for you. In person only.',
  })
  grantPartnerConsent(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app that may act for you.' })
    partnerAppId: string,
  ): Promise<boolean> {
    return this.apps.grantConsent(actor, partnerAppId);
  }

  @Mutation(() => Boolean, {
    description:
      'Withdraws your consent; the app can no longer act for you. False if there was none. In person only: no app withdraws your consent to another.',
  })
  revokePartnerConsent(
    @CurrentActor() actor: Actor,
    @Args('partnerAppId', { type: () => ID, description: 'The partner app that may no longer act for you.' })
    partnerAppId: string,
  ): Promise<boolean> {
    return this.apps.revokeConsent(actor, partnerAppId);
  }

  @Query(() => [PartnerApp], {
    description: "Coordinators and admins: a community's partner apps.",
    deprecationReason: replacedBy('partnerAppsConnection'),
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
