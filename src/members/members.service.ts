import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { isDatabaseId } from '../../libs/database/database-id.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import {
  CountedConnection,
  decodeCursor,
  PageArgs,
  toConnection,
  withTotalCount,
} from '../../libs/graphql/pagination.js';
import { refusable, Refusal, refusedPayload } from '../../libs/graphql/refusal.js';
import { byIds, groupedBy, requestLoader } from '../../libs/graphql/request-loaders.js';
import type { UserError } from '../../libs/graphql/user-errors.js';
import { AccessPolicy, forbidden, isInPerson, ManagerRole } from '../access/access.policy.js';
import { ANONYMOUS } from '../access/actor.js';
import type { Actor } from '../access/actor.js';
import { CommunitiesService } from '../communities/communities.service.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { OutboxService } from '../events/outbox.service.js';
import { foldEmail, IdentityService, refusedLogin } from '../identity/identity.service.js';
import { AuthErrorCode } from '../identity/identity.errors.js';
import { AuthPayload } from '../identity/models/identity.models.js';
import { requireStrongPassword } from '../../libs/security/password-strength.js';
import { hashPassword } from '../../libs/security/passwords.js';
import { newToken, TOKEN_PREFIX, tokenHash } from '../../libs/security/tokens.js';
import { SYSTEM_CODES } from '../ledger/ledger-caller.js';
import { isSettled, LedgerService } from '../ledger/ledger.service.js';
import { AccountKind, AccountStatus } from '../ledger/models/ledger-enums.js';
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
  UpdateProfileInput,
} from './dto/member.inputs.js';
import { MemberErrorCode, memberError } from './members.errors.js';
import { MembershipFilter, MembersRepository, NewMember } from './members.repository.js';
import { InvitationPayload, Member, MemberPayload, Membership, MembershipPayload } from './models/member.models.js';
import { MemberKind, MembershipRole, MembershipStatus } from './models/member-enums.js';

const MEMBERS = Symbol('members');

interface MemberLoaders {
  member: DataLoader<string, Member | null>;
  openMemberships: DataLoader<string, { memberId: string; communityId: string }[]>;
}

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

const refusedMembership = refusedPayload(memberError, { membership: null });
const refusedMember = refusedPayload(memberError, { member: null });
const refusedInvitation = refusedPayload(memberError, { membership: null, invitationToken: null });
/** joinCommunity takes communityId as an argument, not inside an input. */
function joinError(code: MemberErrorCode): UserError<MemberErrorCode> {
  return { ...memberError(code), field: ['communityId'] };
}
const refusedJoin = refusedPayload(joinError, { membership: null });

/** System writes carry keys with a space, which client keys cannot contain: no client can take them first. */
const starterGrantKey = (membershipId: string): string => `system starter-grant ${membershipId}`;
const settlementKey = (membershipId: string): string => `system settle ${membershipId}`;

/** The event of each status a membership moves to (docs/api.md, "Events"). */
const STATUS_EVENTS: Record<MembershipStatus, string> = {
  [MembershipStatus.PENDING]: 'membership.opened',
  [MembershipStatus.ACTIVE]: 'membership.activated',
  [MembershipStatus.SUSPENDED]: 'membership.suspended',
  [MembershipStatus.CLOSED]: 'membership.closed',
};

/** Members and their memberships: joining, approval with the starter grant, suspension and closing. */

@Injectable()
export class MembersService {
  constructor(
    private readonly members: MembersRepository,
    private readonly communities: CommunitiesService,
    private readonly ledger: LedgerService,
    private readonly access: AccessPolicy,
    private readonly audit: AuditLogService,
    private readonly identity: IdentityService,
    private readonly db: TransactionalConnection,
    private readonly outbox: OutboxService,
  ) {}

  /** Anyone may register (a few times an hour per address); with a communityId the membership waits for a coordinator's approval. */
  async register(input: RegisterInput): Promise<MemberPayload> {
    await requireStrongPassword(input.password, 'password', input);
    const passwordHash = await hashPassword(input.password);
    return refusable(this.db, refusedMember, async () => {
      const member = await this.members.insertMember({ ...input, email: foldEmail(input.email), passwordHash });
      if (!member) return refusedMember(MemberErrorCode.EMAIL_TAKEN);
      if (input.communityId) await this.openMembership(member.id, input.communityId, MembershipRole.MEMBER);
      return { member, userErrors: [] };
    });
  }

  me(actor: Actor): Promise<Member> {
    const member = this.access.requireMember(actor);
    return this.members.findMember(member.memberId) as Promise<Member>;
  }

  /** Yourself; members of a community you are active in; anyone for the managers of their communities. */
  async findMember(actor: Actor, memberId: string): Promise<Member> {
    const viewer = this.access.requireAuthenticated(actor);
    const member = isDatabaseId(memberId) ? await this.members.findMember(memberId) : null;
    if (!member || !(await this.maySeeMember(viewer, member.id, await this.members.communitiesOf(member.id))))
      throw forbidden();
    return member;
  }

  /**
   * A member reached through a field of another object: whom `member(id)` would show this actor,
   * else null. The members, and the communities that decide who sees them, load in one query each per request.
   */
  async visibleMember(actor: Actor, memberId: string, requestContext: object): Promise<Member | null> {
    const [member, communities] = await Promise.all([
      this.loaders(requestContext).member.load(memberId),
      this.openCommunities(requestContext, memberId),
    ]);
    return member && (await this.maySeeMember(actor, memberId, communities)) ? member : null;
  }

  /** As visibleMember, for an optional id: null for none. */
  async visibleMemberOrNull(actor: Actor, memberId: string | null, requestContext: object): Promise<Member | null> {
    return memberId === null ? null : this.visibleMember(actor, memberId, requestContext);
  }

  /** The member who was just given tokens: the request is anonymous until it sends them, yet they are that member's. */
  async tokenHolder(memberId: string, requestContext: object): Promise<Member> {
    return (await this.loaders(requestContext).member.load(memberId))!;
  }

  /** The email is for the member in person and the managers of their communities only: not co-members, not partner apps. */
  async emailOf(actor: Actor, member: Member, requestContext: object): Promise<string | null> {
    const self = isInPerson(actor) && actor.memberId === member.id;
    const communities = await this.openCommunities(requestContext, member.id);
    return self ||
      (await this.reachesMember(actor, communities, (communityId) =>
        this.access.managerRole(actor, communityId).then(Boolean),
      ))
      ? member.email
      : null;
  }

  /** In person only: a partner app acts for a member's money and exchanges, not for who they are. */
  async updateProfile(actor: Actor, input: UpdateProfileInput): Promise<Member> {
    const member = this.access.requireMemberInPerson(actor);
    return this.members.updateProfile(member.memberId, input);
  }

  async membershipsOf(actor: Actor, member: Member): Promise<Membership[]> {
    const memberships = await this.members.membershipsOf(member.id);
    const visible = await Promise.all(
      memberships.map(
        async (membership) =>
          this.isHolder(actor, membership.memberId, membership.communityId) ||
          this.access.mayAudit(actor, membership.communityId),
      ),
    );
    return memberships.filter((_, index) => visible[index]);
  }

  async listMemberships(actor: Actor, args: MembershipsArgs): Promise<CountedConnection<Membership>> {
    await this.access.requireManager(actor, args.communityId);
    return this.membershipPage(
      { communityId: args.communityId, status: args.status, nameOrEmailContains: args.query },
      args,
    );
  }

  /** A page of the memberships the filter holds, oldest first, with their total count. */
  private async membershipPage(filter: MembershipFilter, page: PageArgs): Promise<CountedConnection<Membership>> {
    const afterId = decodeCursor(page.after);
    const rows = await this.members.membershipsIn({ ...filter, afterId, limit: page.first + 1 });
    const connection = toConnection(
      rows,
      page.first,
      (row) => BigInt(row.id),
      (row) => row,
      afterId === undefined,
    );
    return withTotalCount(connection, () => this.members.countMembershipsIn(filter));
  }

  /**
   * Whom a member may pay: the community's other active members, by name, for the member's own
   * active membership there (and for its managers). Their account ids, not their balances: reading
   * an account stays as mayReadAccount says.
   */
  async listPayees(actor: Actor, args: PayeesArgs): Promise<CountedConnection<Membership>> {
    const member = await this.access.isActiveMember(actor, args.communityId);
    if (!member && !(await this.access.managerRole(actor, args.communityId))) throw forbidden();
    const filter = {
      communityId: args.communityId,
      status: MembershipStatus.ACTIVE,
      nameContains: args.name,
      exceptMemberId: actor.kind === 'member' ? actor.memberId : undefined,
    };
    return this.membershipPage(filter, args);
  }

  async findMembership(actor: Actor, membershipId: string): Promise<Membership> {
    this.access.requireAuthenticated(actor);
    const membership = isDatabaseId(membershipId) ? await this.members.findMembership(membershipId) : null;
    const own = membership && this.isHolder(actor, membership.memberId, membership.communityId);
    if (!membership || !(own || (await this.access.mayAudit(actor, membership.communityId)))) throw forbidden();
    return membership;
  }

  /** Asks to join: a pending membership, with its account opened under the community's default limits. */
  /** `refused` names the field at fault: joinCommunity's argument by default, requestMembership's input field. */
  async joinCommunity(actor: Actor, communityId: string, refused = refusedJoin): Promise<MembershipPayload> {
    const member = this.access.requireMemberInPerson(actor);
    if (!isDatabaseId(communityId)) return refused(MemberErrorCode.COMMUNITY_NOT_FOUND);
    return refusable(this.db, refused, async () => {
      const membership = await this.openMembership(member.memberId, communityId, MembershipRole.MEMBER);
      return membership ? { membership, userErrors: [] } : refused(MemberErrorCode.ALREADY_MEMBER);
    });
  }

  requestMembership(actor: Actor, input: RequestMembershipInput): Promise<MembershipPayload> {
    return this.joinCommunity(actor, input.communityId, refusedMembership);
  }

  /** Pending to active, paying the starter grant once per membership (its key is the membership's). */
  async approve(actor: Actor, input: MembershipActionInput): Promise<MembershipPayload> {
    return this.managed(actor, input.membershipId, async (membership, role) => {
      if (membership.status !== MembershipStatus.PENDING)
        return refusedMembership(MemberErrorCode.MEMBERSHIP_NOT_PENDING);
      return this.activate(actor, role, membership, 'membership.approve', input.reason ?? null);
    });
  }

  async suspend(actor: Actor, input: MembershipActionInput): Promise<MembershipPayload> {
    return this.managed(actor, input.membershipId, async (membership, role) => {
      const reason = input.reason?.trim();
      if (!reason) return refusedMembership(MemberErrorCode.REASON_REQUIRED);
      if (membership.status !== MembershipStatus.ACTIVE)
        return refusedMembership(MemberErrorCode.MEMBERSHIP_NOT_ACTIVE);
      return this.changeStatus(actor, role, membership, MembershipStatus.SUSPENDED, 'membership.suspend', reason);
    });
  }

  async reinstate(actor: Actor, input: MembershipActionInput): Promise<MembershipPayload> {
    return this.managed(actor, input.membershipId, async (membership, role) => {
      if (membership.status !== MembershipStatus.SUSPENDED)
        return refusedMembership(MemberErrorCode.MEMBERSHIP_NOT_SUSPENDED);
      return this.changeStatus(
        actor,
        role,
        membership,
        MembershipStatus.ACTIVE,
        'membership.reinstate',
        input.reason ?? null,
      );
    });
  }

  /**
   * Closes a membership and its account. Its holder may close it when the balance is zero;
   * a coordinator may first settle a balance to the pool (or a debt from it), with a reason.
   */
  async close(actor: Actor, input: CloseMembershipInput): Promise<MembershipPayload> {
    this.access.requireAuthenticated(actor);
    const found = await this.members.findMembership(input.membershipId);
    if (!found) throw forbidden();
    const role = await this.access.managerRole(actor, found.communityId);
    const own = actor.kind === 'member' && !actor.viaPartnerAppId && actor.memberId === found.memberId;
    if (!role && !own) throw forbidden();
    if (input.settleToPool && !role) throw forbidden();
    const reason = input.reason?.trim() || null;
    if (input.settleToPool && !reason) return refusedMembership(MemberErrorCode.REASON_REQUIRED);
    return refusable(this.db, refusedMembership, async () => {
      const membership = (await this.members.lockMembership(found.id))!;
      if (membership.status === MembershipStatus.CLOSED) return refusedMembership(MemberErrorCode.MEMBERSHIP_CLOSED);
      const account = (await this.ledger.findAccount(membership.accountId))!;
      if (account.pendingDebits !== 0n || account.pendingCredits !== 0n)
        return refusedMembership(MemberErrorCode.PENDING_TRANSFERS_OPEN);
      if (account.balance !== 0n) {
        if (!input.settleToPool) return refusedMembership(MemberErrorCode.BALANCE_NOT_SETTLED);
        // Thrown, so that the refused settlement's key is rolled back too and a later attempt can succeed.
        const settled = await this.settleToPool(membership, account.balance);
        if (!settled) throw new Refusal(MemberErrorCode.SETTLEMENT_REFUSED);
      }
      const change = await this.ledger.changeAccountStatus(membership.accountId, AccountStatus.CLOSED);
      if (change.refusal || !change.account || !isSettled(change.account))
        return refusedMembership(MemberErrorCode.BALANCE_NOT_SETTLED);
      const closed = await this.members.updateMembership(membership.id, { status: MembershipStatus.CLOSED });
      await this.audit.record(actor, {
        as: role ?? 'member',
        action: 'membership.close',
        communityId: membership.communityId,
        targetType: 'membership',
        targetId: membership.id,
        reason,
        details: { settledToPool: account.balance.toString() },
      });
      await this.announce(closed, 'membership.closed');
      return { membership: closed, userErrors: [] };
    });
  }

  /** Admins make a member a coordinator of a community, opening an active membership if they have none. */
  async appointCoordinator(actor: Actor, input: AppointCoordinatorInput): Promise<MembershipPayload> {
    this.access.requireAdmin(actor);
    if (!(await this.members.findMember(input.memberId))) throw forbidden();
    return refusable(this.db, refusedMembership, async () => {
      const existing = await this.members.openMembership(input.memberId, input.communityId);
      const membership =
        existing ?? (await this.openMembership(input.memberId, input.communityId, MembershipRole.COORDINATOR));
      if (!membership) throw forbidden();
      const appointed = await this.members.updateMembership(membership.id, { role: MembershipRole.COORDINATOR });
      await this.audit.record(actor, {
        as: 'admin',
        action: 'membership.appoint_coordinator',
        communityId: input.communityId,
        targetType: 'membership',
        targetId: membership.id,
      });
      // A membership opened for the appointment was announced as opened, a coordinator's already.
      if (existing && existing.role !== MembershipRole.COORDINATOR)
        await this.announce(appointed, 'membership.role_changed');
      if (appointed.status !== MembershipStatus.PENDING) return { membership: appointed, userErrors: [] };
      return this.activate(actor, 'admin', appointed, 'membership.approve', 'appointed coordinator');
    });
  }

  /** A coordinator invites someone new: the membership is approved at once, and a token lets them set a password. */
  async invite(actor: Actor, input: InviteMemberInput): Promise<InvitationPayload> {
    const role = await this.access.requireManager(actor, input.communityId);
    const inviter = this.access.requireMember(actor);
    return refusable(this.db, refusedInvitation, async () => {
      const member = await this.members.insertMember({
        email: foldEmail(input.email),
        passwordHash: null,
        kind: input.kind,
        displayName: input.displayName,
      });
      if (!member) return refusedInvitation(MemberErrorCode.EMAIL_TAKEN);
      const membership = (await this.openMembership(member.id, input.communityId, MembershipRole.MEMBER))!;
      const invitationToken = newToken(TOKEN_PREFIX.invitation);
      await this.members.insertInvitation({
        membershipId: membership.id,
        invitedBy: inviter.memberId,
        tokenHash: tokenHash(invitationToken),
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      });
      const approved = await this.activate(actor, role, membership, 'membership.invite', null);
      return { membership: approved.membership, invitationToken, userErrors: [] };
    });
  }

  /**
   * The invitee sets a password with the token (once) and is logged in. An unknown token is
   * answered before any hashing (and attempts are rate-limited per address), so that guessing
   * tokens costs the server little and finds nothing.
   */
  async acceptInvitation(input: AcceptInvitationInput): Promise<AuthPayload> {
    const invitee = await this.members.pendingInvitee(tokenHash(input.token));
    if (!invitee) return refusedLogin(AuthErrorCode.INVALID_INVITATION);
    await requireStrongPassword(input.password, 'password', invitee);
    const passwordHash = await hashPassword(input.password);
    return this.db.transaction(async () => {
      const memberId = await this.members.claimInvitation(tokenHash(input.token));
      if (!memberId) return refusedLogin(AuthErrorCode.INVALID_INVITATION);
      await this.members.setPassword(memberId, passwordHash);
      return { tokens: await this.identity.startSession(memberId), userErrors: [] };
    });
  }

  /** For the demo seed and test fixtures: a member with a profile, and a password unless none is given; null when the email is taken. */
  async createMember(input: Omit<NewMember, 'passwordHash' | 'kind'> & { password?: string }): Promise<Member | null> {
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    return this.members.insertMember({
      ...input,
      email: foldEmail(input.email),
      passwordHash,
      kind: MemberKind.PERSON,
    });
  }

  /**
   * The bootstrap command: makes the member with this email a server admin, creating them with
   * the password when they do not exist yet. Audited as the system.
   */
  async bootstrapAdmin(
    email: string,
    password: string,
    displayName: string,
  ): Promise<{ member: Member; created: boolean }> {
    const passwordHash = await hashPassword(password);
    return this.db.transaction(async () => {
      const created = await this.members.insertMember({
        email: foldEmail(email),
        passwordHash,
        kind: MemberKind.PERSON,
        displayName,
        isAdmin: true,
      });
      const member = created ?? (await this.members.findMemberByEmail(foldEmail(email)))!;
      if (!created) await this.members.setAdmin(member.id);
      await this.audit.record(ANONYMOUS, {
        as: 'system',
        action: 'member.make_admin',
        communityId: null,
        targetType: 'member',
        targetId: member.id,
      });
      return { member: { ...member, isAdmin: true }, created: created !== null };
    });
  }

  /** For the demo seed, which is the system acting: an active membership with its starter grant, audited as the system. */
  async admit(memberId: string, communityId: string, role: MembershipRole): Promise<Membership> {
    return this.db.transaction(async () => {
      const membership = (await this.openMembership(memberId, communityId, role))!;
      return (await this.activate(ANONYMOUS, 'system', membership, 'membership.approve', 'demo seed')).membership!;
    });
  }

  /** Opens a pending membership with its account; null when one is already open. Runs in the caller's (refusable) transaction. */
  private async openMembership(
    memberId: string,
    communityId: string,
    role: MembershipRole,
  ): Promise<Membership | null> {
    // One after another: inside a transaction they share one connection.
    const policies = await this.communities.policies(communityId);
    const currencyId = await this.members.communityCurrency(communityId);
    const member = await this.members.findMember(memberId);
    if (!policies || !currencyId) throw new Refusal(MemberErrorCode.COMMUNITY_NOT_FOUND);
    if (!member) throw forbidden();
    if (await this.members.openMembership(memberId, communityId)) return null;
    const account = await this.ledger.openMemberAccount({
      currencyId,
      name: member.displayName,
      lowerLimit: policies.defaultLowerLimit,
      upperLimit: policies.defaultUpperLimit,
    });
    const membership = await this.members.insertMembership({
      memberId,
      communityId,
      currencyId,
      accountId: account.id,
      role,
    });
    if (membership) await this.announce(membership, 'membership.opened');
    return membership;
  }

  /** Active, with the starter grant paid from issuance under the membership's own key: at most once, ever. */
  private async activate(
    actor: Actor,
    role: ManagerRole | 'system',
    membership: Membership,
    action: string,
    reason: string | null,
  ): Promise<MembershipPayload> {
    const policies = (await this.communities.policies(membership.communityId))!;
    if (policies.starterGrant > 0n) {
      const issuance = (await this.ledger.systemAccount(membership.currencyId, AccountKind.ISSUANCE))!;
      const grant = await this.ledger.createTransferInTransaction({
        idempotencyKey: starterGrantKey(membership.id),
        debitAccountId: issuance.id,
        creditAccountId: membership.accountId,
        amount: policies.starterGrant,
        code: SYSTEM_CODES.STARTER_GRANT,
        memo: 'Welcome: your starter grant',
      });
      if (grant.userErrors.length > 0) throw new Refusal(MemberErrorCode.STARTER_GRANT_REFUSED);
    }
    return this.changeStatus(actor, role, membership, MembershipStatus.ACTIVE, action, reason, {
      starterGrant: policies.starterGrant.toString(),
    });
  }

  private async changeStatus(
    actor: Actor,
    role: ManagerRole | 'system',
    membership: Membership,
    status: MembershipStatus,
    action: string,
    reason: string | null,
    details: Record<string, unknown> = {},
  ): Promise<MembershipPayload> {
    const changed = await this.members.updateMembership(membership.id, { status });
    await this.audit.record(actor, {
      as: role,
      action,
      communityId: membership.communityId,
      targetType: 'membership',
      targetId: membership.id,
      reason,
      details,
    });
    await this.announce(changed, STATUS_EVENTS[status]);
    return { membership: changed, userErrors: [] };
  }

  /** The membership's event, in the transaction of its change: for its member, and the community's auditors (docs/api.md, "Events"). */
  private announce(membership: Membership, type: string): Promise<void> {
    return this.outbox.append({
      topic: type,
      aggregateType: 'membership',
      aggregateId: membership.id,
      communityId: membership.communityId,
      payload: {
        membershipId: membership.id,
        memberId: membership.memberId,
        accountId: membership.accountId,
        role: membership.role,
        status: membership.status,
      },
      memberIds: [membership.memberId],
    });
  }

  /** A positive balance goes to the pool; a debt is absorbed by it (refused if the pool cannot). */
  private async settleToPool(membership: Membership, balance: bigint): Promise<boolean> {
    const pool = (await this.ledger.systemAccount(membership.currencyId, AccountKind.POOL))!;
    const [debitAccountId, creditAccountId] =
      balance > 0n ? [membership.accountId, pool.id] : [pool.id, membership.accountId];
    const settlement = await this.ledger.createTransferInTransaction({
      idempotencyKey: settlementKey(membership.id),
      debitAccountId,
      creditAccountId,
      amount: balance > 0n ? balance : -balance,
      code: SYSTEM_CODES.SETTLEMENT,
      memo: 'Membership closed: balance settled with the community pool',
    });
    return settlement.userErrors.length === 0;
  }

  /** Locks the membership and runs `act` for a manager of its community, in one transaction. */
  private async managed(
    actor: Actor,
    membershipId: string,
    act: (membership: Membership, role: ManagerRole) => Promise<MembershipPayload>,
  ): Promise<MembershipPayload> {
    this.access.requireAuthenticated(actor);
    const found = await this.members.findMembership(membershipId);
    const role = found ? await this.access.managerRole(actor, found.communityId) : null;
    if (!found || !role) throw forbidden();
    return refusable(this.db, refusedMembership, async () => act((await this.members.lockMembership(found.id))!, role));
  }

  /**
   * Yourself, a co-member of a community you are active in, or an auditor of one of their
   * communities: `communities` are those where the member holds an open membership.
   */
  private async maySeeMember(viewer: Actor, memberId: string, communities: string[]): Promise<boolean> {
    if (viewer.kind === 'member' && viewer.memberId === memberId) return true;
    return this.reachesMember(
      viewer,
      communities,
      async (communityId) =>
        (await this.access.isActiveMember(viewer, communityId)) || this.access.mayAudit(viewer, communityId),
    );
  }

  /** The member themself; through a partner app, only within the app's community. */
  private isHolder(actor: Actor, memberId: string, communityId: string): boolean {
    return (
      actor.kind === 'member' &&
      actor.memberId === memberId &&
      (actor.withinCommunityId === null || actor.withinCommunityId === communityId)
    );
  }

  /** Whether `allowed` holds in any of a member's communities (those of their open memberships); admins reach everyone. */
  private async reachesMember(
    actor: Actor,
    communities: string[],
    allowed: (communityId: string) => Promise<boolean>,
  ): Promise<boolean> {
    if (actor.kind === 'member' && actor.isAdmin && !actor.viaPartnerAppId) return true;
    return (await Promise.all(communities.map(allowed))).some(Boolean);
  }

  /** Members, and the communities of their open memberships, batched for one request. */
  private loaders(requestContext: object): MemberLoaders {
    return requestLoader(requestContext, MEMBERS, () => ({
      member: byIds((ids) => this.members.findMembers(ids)),
      openMemberships: groupedBy(
        (memberIds) => this.members.openCommunitiesOf(memberIds),
        (row) => row.memberId,
      ),
    }));
  }

  /** The communities where the member holds an open membership: what decides who may see them. */
  private async openCommunities(requestContext: object, memberId: string): Promise<string[]> {
    return (await this.loaders(requestContext).openMemberships.load(memberId)).map((row) => row.communityId);
  }
}
