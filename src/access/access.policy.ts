import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { ClientError, ErrorCode } from '../../libs/graphql/error-code.js';
import {
  ACCOUNT_FACTS_COLUMNS,
  ACCOUNT_FACTS_JOINS,
  AccessRepository,
  AccountFacts,
  toAccountFacts,
} from './access.repository.js';
import { PartnerScope } from './actor.js';
import type { Actor, AuthenticatedActor, MemberActor, Standing } from './actor.js';

/** What accountFacts returns and the checks below take; other domains see it here, not in the repository. */
export type { AccountFacts };
/** For a query that reads an account with its facts in one round trip (see primeAccountFacts). */
export { ACCOUNT_FACTS_COLUMNS, ACCOUNT_FACTS_JOINS, toAccountFacts };

/** The capacity in which someone manages a community; recorded in the audit log. */
export type ManagerRole = 'coordinator' | 'admin';

/** What the debit of an account rests on: the member's own money, or a manager's decision (audited). */
export type DebitRight = 'own' | ManagerRole;

interface RequestFacts {
  accounts: DataLoader<string, AccountFacts | null>;
  /** Asked for every community an admin acts on: one query for all those of a page. */
  communityExists: DataLoader<string, boolean>;
  standings: Promise<Map<string, Standing>> | null;
}

export function isInPerson(actor: Actor): actor is MemberActor & { sessionId: string } {
  return actor.kind === 'member' && actor.viaPartnerAppId === null && actor.sessionId !== null;
}

export function unauthenticated(): ClientError {
  return new ClientError(
    ErrorCode.UNAUTHENTICATED,
    'Authentication required: send Authorization: Bearer <access token or API key>',
  );
}

/**
 * One answer for "not yours" and "not there", so that a denial never tells whether an object exists.
 * Thrown, as a top-level error, never a payload's userError: a userError tells someone allowed to
 * act which business rule refused them (libs/graphql/refusal.ts), while a denial must tell nothing.
 */
export function forbidden(): ClientError {
  return new ClientError(ErrorCode.FORBIDDEN, 'Not permitted, or no such object');
}

/**
 * Who may do what. Every service that serves callers asks here before it reads or writes; the
 * rules are written once, so that a query and a mutation about the same account cannot disagree.
 * An actor lives for one request, so the facts are cached per actor and batched across a page.
 */
@Injectable()
export class AccessPolicy {
  private readonly requests = new WeakMap<Actor, RequestFacts>();

  constructor(private readonly repository: AccessRepository) {}

  requireAuthenticated(actor: Actor): AuthenticatedActor {
    if (actor.kind === 'anonymous') throw unauthenticated();
    return actor;
  }

  /** A member, in person or through a partner app acting for them (with the member's own rights over money and exchanges). */
  requireMember(actor: Actor): MemberActor {
    const authenticated = this.requireAuthenticated(actor);
    if (authenticated.kind !== 'member') throw forbidden();
    return authenticated;
  }

  /**
   * A member in person, with a session of their own: the member's identity (profile, email,
   * password, sessions) and their decisions about partner apps are never a partner app's business.
   */
  requireMemberInPerson(actor: Actor): MemberActor & { sessionId: string } {
    const member = this.requireMember(actor);
    if (!isInPerson(member)) throw forbidden();
    return member;
  }

  requireAdmin(actor: Actor): MemberActor {
    const member = this.requireMember(actor);
    if (!member.isAdmin || member.viaPartnerAppId) throw forbidden();
    return member;
  }

  /**
   * Coordinators manage their own communities; admins manage all that exist (so that an admin's
   * action on a community that is not there is refused here, as anyone else's is, rather than
   * failing later on a foreign key). Never through a partner app.
   */
  async managerRole(actor: Actor, communityId: string): Promise<ManagerRole | null> {
    if (actor.kind !== 'member' || actor.viaPartnerAppId) return null;
    const standing = (await this.standings(actor)).get(communityId);
    if (standing?.role === 'coordinator' && standing.status === 'active') return 'coordinator';
    return actor.isAdmin && (await this.factsFor(actor).communityExists.load(communityId)) ? 'admin' : null;
  }

  async requireManager(actor: Actor, communityId: string): Promise<ManagerRole> {
    this.requireAuthenticated(actor);
    const role = isDatabaseId(communityId) ? await this.managerRole(actor, communityId) : null;
    if (!role) throw forbidden();
    return role;
  }

  /** Managers, and partner apps holding the read-only audit scope for this community. */
  async mayAudit(actor: Actor, communityId: string): Promise<boolean> {
    if (actor.kind === 'partner')
      return actor.communityId === communityId && actor.scopes.includes(PartnerScope.AUDIT_READ);
    return (await this.managerRole(actor, communityId)) !== null;
  }

  async requireAuditor(actor: Actor, communityId: string): Promise<void> {
    this.requireAuthenticated(actor);
    if (!isDatabaseId(communityId) || !(await this.mayAudit(actor, communityId))) throw forbidden();
  }

  async isActiveMember(actor: Actor, communityId: string): Promise<boolean> {
    if (actor.kind !== 'member' || !this.withinReach(actor, communityId)) return false;
    return (await this.standings(actor)).get(communityId)?.status === 'active';
  }

  async accountFacts(actor: Actor, accountId: string): Promise<AccountFacts | null> {
    return this.factsFor(actor).accounts.load(accountId);
  }

  /** Facts read along with something else in one query: this request's later checks need not read them again. */
  primeAccountFacts(actor: Actor, facts: AccountFacts): void {
    this.factsFor(actor).accounts.prime(facts.accountId, facts);
  }

  /** The account's holder, its community's auditors, and co-members where the community shows balances. */
  async mayReadAccount(actor: Actor, facts: AccountFacts): Promise<boolean> {
    if (this.holds(actor, facts) || (await this.mayAudit(actor, facts.communityId))) return true;
    if (!(await this.isActiveMember(actor, facts.communityId))) return false;
    // The community's own accounts (issuance, pool) are open to its members; others' only by policy.
    return facts.kind !== 'member' || facts.balancesVisible;
  }

  /** Statements, point-in-time balances and transfers: the holder and the community's auditors only. */
  async mayReadHistory(actor: Actor, facts: AccountFacts): Promise<boolean> {
    return this.holds(actor, facts) || this.mayAudit(actor, facts.communityId);
  }

  /** A member pays from their own account while their membership is active; managers pay from the community's own accounts. */
  async debitRight(actor: Actor, facts: AccountFacts): Promise<DebitRight | null> {
    if (facts.kind === 'member') return this.holds(actor, facts) && facts.membershipStatus === 'active' ? 'own' : null;
    return this.managerRole(actor, facts.communityId);
  }

  /** Loads the account's facts and throws FORBIDDEN unless `allowed` grants access: missing and refused look alike. */
  async requireAccount(
    actor: Actor,
    accountId: string,
    allowed: (facts: AccountFacts) => Promise<boolean>,
  ): Promise<AccountFacts> {
    this.requireAuthenticated(actor);
    const facts = isDatabaseId(accountId) ? await this.accountFacts(actor, accountId) : null;
    if (!facts || !(await allowed(facts))) throw forbidden();
    return facts;
  }

  async communityOfCurrency(currencyId: string): Promise<{ communityId: string; balancesVisible: boolean } | null> {
    return isDatabaseId(currencyId) ? this.repository.communityOfCurrency(currencyId) : null;
  }

  holds(actor: Actor, facts: AccountFacts): boolean {
    return (
      actor.kind === 'member' && facts.ownerMemberId === actor.memberId && this.withinReach(actor, facts.communityId)
    );
  }

  private withinReach(actor: MemberActor, communityId: string): boolean {
    return actor.withinCommunityId === null || actor.withinCommunityId === communityId;
  }

  /** The member's open memberships within their reach (a partner app's community only, through one). */
  async standingsWithinReach(actor: MemberActor): Promise<Standing[]> {
    return [...(await this.standings(actor)).values()].filter((standing) =>
      this.withinReach(actor, standing.communityId),
    );
  }

  /** Whether the actor manages any community at all: most members do not, and need no question about it. */
  async managesAnything(actor: Actor): Promise<boolean> {
    if (actor.kind !== 'member' || actor.viaPartnerAppId) return false;
    if (actor.isAdmin) return true;
    return [...(await this.standings(actor)).values()].some(
      (standing) => standing.role === 'coordinator' && standing.status === 'active',
    );
  }

  private standings(actor: MemberActor): Promise<Map<string, Standing>> {
    const facts = this.factsFor(actor);
    const rows = actor.standings ? Promise.resolve(actor.standings) : this.repository.standings(actor.memberId);
    facts.standings ??= rows.then((standings) => new Map(standings.map((row) => [row.communityId, row])));
    return facts.standings;
  }

  private factsFor(actor: Actor): RequestFacts {
    let facts = this.requests.get(actor);
    if (!facts) {
      facts = {
        accounts: new DataLoader(async (ids) => {
          const found = new Map((await this.repository.accountFacts(ids)).map((row) => [row.accountId, row]));
          return ids.map((id) => found.get(id) ?? null);
        }),
        communityExists: new DataLoader(async (ids) => {
          const existing = new Set(await this.repository.existingCommunities(ids));
          return ids.map((id) => existing.has(id));
        }),
        standings: null,
      };
      this.requests.set(actor, facts);
    }
    return facts;
  }
}
