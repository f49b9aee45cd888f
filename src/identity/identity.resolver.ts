import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { CurrentActor } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import {
  ChangePasswordInput, LoginInput, RefreshTokensInput, RegisterPartnerAppInput, RevokeMemberSessionsArgs, RevokePartnerAppArgs,
} from './dto/identity.inputs.js';
import { IdentityService } from './identity.service.js';
import { AuthPayload, ChangePasswordPayload, PartnerApp, PartnerAppKeyPayload, Session } from './models/identity.models.js';
import { PartnerAppsService } from './partner-apps.service.js';

@Resolver()
export class IdentityResolver {
  constructor(
    private readonly identity: IdentityService,
    private readonly apps: PartnerAppsService,
  ) {}

  @Mutation(() => AuthPayload, { description: 'Starts a session. Failed attempts are rate-limited per email and per address.' })
  login(@Args('input') input: LoginInput, @Context('req') req: Request): Promise<AuthPayload> {
    return this.identity.login(input, req.ip ?? 'unknown');
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for new tokens; the old pair stops working.' })
  refreshTokens(@Args('input') input: RefreshTokensInput): Promise<AuthPayload> {
    return this.identity.refreshTokens(input.refreshToken);
  }

  @Mutation(() => Int, { description: 'Ends this session, or all of your sessions; returns how many ended. Effective at once.' })
  logout(@CurrentActor() actor: Actor, @Args('everywhere', { defaultValue: false }) everywhere: boolean): Promise<number> {
    return this.identity.logout(actor, everywhere);
  }

  @Query(() => [Session], { description: 'Your live sessions, newest first.' })
  sessions(@CurrentActor() actor: Actor): Promise<Session[]> {
    return this.identity.sessions(actor);
  }

  @Mutation(() => Boolean, { description: 'Ends one of your sessions at once (a lost phone). False when it is not one of your live sessions.' })
  revokeSession(@CurrentActor() actor: Actor, @Args('sessionId', { type: () => ID }) sessionId: string): Promise<boolean> {
    return this.identity.revokeSession(actor, sessionId);
  }

  @Mutation(() => ChangePasswordPayload, { description: 'Changes your password; every other session of yours ends. Rate-limited like login.' })
  changePassword(@CurrentActor() actor: Actor, @Args('input') input: ChangePasswordInput, @Context('req') req: Request): Promise<ChangePasswordPayload> {
    return this.identity.changePassword(actor, input, req.ip ?? 'unknown');
  }

  @Mutation(() => Int, { description: "Admins: ends every session of a member at once; returns how many ended. Audited." })
  revokeMemberSessions(@CurrentActor() actor: Actor, @Args() args: RevokeMemberSessionsArgs): Promise<number> {
    return this.identity.revokeMemberSessions(actor, args.memberId, args.reason);
  }

  @Mutation(() => PartnerAppKeyPayload, { description: 'Coordinators and admins: registers a partner app for a community and issues its first key.' })
  registerPartnerApp(@CurrentActor() actor: Actor, @Args('input') input: RegisterPartnerAppInput): Promise<PartnerAppKeyPayload> {
    return this.apps.register(actor, input);
  }

  @Mutation(() => PartnerAppKeyPayload, { description: "Issues a new key for a partner app; the old key stops working at once." })
  rotatePartnerAppKey(@CurrentActor() actor: Actor, @Args('partnerAppId', { type: () => ID }) partnerAppId: string): Promise<PartnerAppKeyPayload> {
    return this.apps.rotateKey(actor, partnerAppId);
  }

  @Mutation(() => PartnerApp, { description: 'Revokes a partner app and its key, at once.' })
  revokePartnerApp(@CurrentActor() actor: Actor, @Args() args: RevokePartnerAppArgs): Promise<PartnerApp> {
    return this.apps.revoke(actor, args.partnerAppId, args.reason ?? null);
  }

  @Mutation(() => Boolean, { description: 'Lets a partner app with the ACT_FOR_MEMBER scope act for you.' })
  grantPartnerConsent(@CurrentActor() actor: Actor, @Args('partnerAppId', { type: () => ID }) partnerAppId: string): Promise<boolean> {
    return this.apps.grantConsent(actor, partnerAppId);
  }

  @Mutation(() => Boolean, { description: 'Withdraws your consent; the app can no longer act for you. False if there was none.' })
  revokePartnerConsent(@CurrentActor() actor: Actor, @Args('partnerAppId', { type: () => ID }) partnerAppId: string): Promise<boolean> {
    return this.apps.revokeConsent(actor, partnerAppId);
  }

  @Query(() => [PartnerApp], { description: "Coordinators and admins: a community's partner apps." })
  partnerApps(@CurrentActor() actor: Actor, @Args('communityId', { type: () => ID }) communityId: string): Promise<PartnerApp[]> {
    return this.apps.listFor(actor, communityId);
  }
}
