import { Injectable } from '@nestjs/common';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { AccessPolicy, forbidden } from '../access/access.policy.js';
import { PartnerScope } from '../access/actor.js';
import type { Actor } from '../access/actor.js';

/**
 * Which events a caller may see, as the feed's query filters them (and, later, subscriptions and
 * webhooks): one of these is true of each event shown.
 * - `everything`, or the event's community is one of `auditedCommunityIds`: the community's
 *   auditors (coordinators, admins, partner apps with the audit scope), as for the audit log;
 * - the event is about `memberId` (its accounts, exchanges, reviews), within `withinCommunityId`
 *   when a partner app acts for the member: as for statements and exchanges;
 * - the event is community-wide (a checkpoint) and the caller is an active member there, as for
 *   the checkpoints query.
 * `communityId`, when not null, limits all of it to one community.
 */
export interface EventScope {
  communityId: string | null;
  everything: boolean;
  auditedCommunityIds: string[];
  memberId: string | null;
  withinCommunityId: string | null;
  activeCommunityIds: string[];
}

/** Sees every event: what a replica's hub reads, before each subscription applies its own scope. */
export const EVERY_EVENT: EventScope = {
  communityId: null,
  everything: true,
  auditedCommunityIds: [],
  memberId: null,
  withinCommunityId: null,
  activeCommunityIds: [],
};

/** What `isVisible` needs of an event. */
export interface VisibleFacts {
  communityId: string | null;
  memberIds: string[];
  communityVisible: boolean;
}

/**
 * Whether `scope` sees `event`: the rules of EventScope as the live subscriptions apply them, event
 * by event. The feed applies the same rules in SQL (EventsRepository.page); a property test holds
 * the two to the same answers (test/e2e/event-visibility.test.ts).
 */
export function isVisible(scope: EventScope, event: VisibleFacts): boolean {
  const { communityId } = event;
  if (scope.communityId !== null && communityId !== scope.communityId) return false;
  if (scope.everything) return true;
  if (communityId !== null && scope.auditedCommunityIds.includes(communityId)) return true;
  const own =
    scope.memberId !== null &&
    event.memberIds.includes(scope.memberId) &&
    (scope.withinCommunityId === null || communityId === scope.withinCommunityId);
  if (own) return true;
  return event.communityVisible && communityId !== null && scope.activeCommunityIds.includes(communityId);
}

/** The one place that decides who sees which event, from the access rules of the queries. */
@Injectable()
export class EventVisibility {
  constructor(private readonly access: AccessPolicy) {}

  /**
   * The caller's scope, over one community or (communityId omitted) all they may see. Throws
   * UNAUTHENTICATED for anonymous callers, and FORBIDDEN for a community they have no part in
   * (the same answer as one that does not exist).
   */
  async scopeOf(actor: Actor, communityId?: string): Promise<EventScope> {
    const caller = this.access.requireAuthenticated(actor);
    const none: EventScope = {
      communityId: communityId ?? null,
      everything: false,
      auditedCommunityIds: [],
      memberId: null,
      withinCommunityId: null,
      activeCommunityIds: [],
    };
    if (communityId !== undefined && !isDatabaseId(communityId)) throw forbidden();

    if (caller.kind === 'partner') {
      // A partner app as itself sees only as an auditor of its one community.
      const audits = caller.scopes.includes(PartnerScope.AUDIT_READ);
      if (!audits || (communityId !== undefined && communityId !== caller.communityId)) throw forbidden();
      return { ...none, auditedCommunityIds: [caller.communityId] };
    }

    const standings = await this.access.standingsWithinReach(caller);
    const own = { memberId: caller.memberId, withinCommunityId: caller.withinCommunityId };
    if (communityId !== undefined) {
      if (await this.access.mayAudit(caller, communityId)) return { ...none, auditedCommunityIds: [communityId] };
      const standing = standings.find((row) => row.communityId === communityId);
      if (!standing) throw forbidden();
      return { ...none, ...own, activeCommunityIds: standing.status === 'active' ? [communityId] : [] };
    }
    // An admin in person audits every community; a partner app acting for one never gets a manager's view.
    if (caller.isAdmin && caller.viaPartnerAppId === null) return { ...none, everything: true };
    const audited: string[] = [];
    for (const standing of standings)
      if ((await this.access.managerRole(caller, standing.communityId)) !== null) audited.push(standing.communityId);
    return {
      ...none,
      ...own,
      auditedCommunityIds: audited,
      activeCommunityIds: standings.filter((row) => row.status === 'active').map((row) => row.communityId),
    };
  }
}
