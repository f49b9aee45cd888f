import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

/** What a partner app's key allows. */
export enum PartnerScope {
  /** Read-only audit of the app's one community: accounts, transfers, trial balance. */
  AUDIT_READ = 'audit:read',
  /** Act for the members who granted the app their consent: read their accounts, pay from them. */
  ACT_FOR_MEMBER = 'act_for_member',
}

export interface AnonymousActor {
  kind: 'anonymous';
}

/** A member's open membership in one community, as access rules see it. */
export interface Standing {
  communityId: string;
  role: 'member' | 'coordinator';
  status: 'pending' | 'active' | 'suspended';
}

/** A logged-in member, or a partner app acting for a member who consented. */
export interface MemberActor {
  kind: 'member';
  memberId: string;
  /** Server-wide administrator. Never true through a partner app. */
  isAdmin: boolean;
  sessionId: string | null;
  /** The partner app acting for the member: it gets the member's own rights, never a coordinator's. */
  viaPartnerAppId: string | null;
  /** Through a partner app, the member acts only within the app's community. */
  withinCommunityId: string | null;
  /** Read with the session, in the same query, when the request is authenticated; else loaded when first needed. */
  standings?: Standing[];
}

/** A partner app acting as itself, within its one community. */
export interface PartnerActor {
  kind: 'partner';
  partnerAppId: string;
  communityId: string;
  scopes: PartnerScope[];
}

export type Actor = AnonymousActor | MemberActor | PartnerActor;
export type AuthenticatedActor = MemberActor | PartnerActor;

export const ANONYMOUS: AnonymousActor = { kind: 'anonymous' };

/** The caller of the current GraphQL operation, resolved once per request from its credentials. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return GqlExecutionContext.create(context).getContext<{ actor?: Actor }>().actor ?? ANONYMOUS;
});
