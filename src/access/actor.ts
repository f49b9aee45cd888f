import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';

/** What a partner app's key allows; the schema's descriptions (identity.models.ts) say it to partners. */
export enum PartnerScope {
  /** Read-only audit of the app's one community, as its coordinators see it, but no member's email. */
  AUDIT_READ = 'audit:read',
  /**
   * For the members who consented, within the app's community: their money and exchanges, never
   * their identity (email, profile, password, sessions) nor their consents.
   */
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

/** The client's address, as Express's "trust proxy" setting (TRUST_PROXY) reads it: what per-address rate limits count. */
export const clientAddress = (req: { ip?: string }): string => req.ip ?? 'unknown';

export const ClientAddress = createParamDecorator((_: unknown, context: ExecutionContext): string => {
  return clientAddress(GqlExecutionContext.create(context).getContext<{ req: { ip?: string } }>().req);
});
