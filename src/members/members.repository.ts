import { Injectable } from '@nestjs/common';
import { containing } from '../../libs/database/like-pattern.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { SessionCache } from '../identity/session-cache.service.js';
import { Member, Membership } from './models/member.models.js';
import { MemberKind, MembershipRole, MembershipStatus } from './models/member-enums.js';

type Row = Record<string, unknown>;

export interface NewMember {
  email: string;
  passwordHash: string | null;
  kind: MemberKind;
  displayName: string;
  bio?: string;
  district?: string;
  skills?: string[];
  tags?: string[];
  languages?: string[];
  isAdmin?: boolean;
}

export interface Profile {
  displayName?: string;
  bio?: string;
  district?: string;
  skills?: string[];
  tags?: string[];
  languages?: string[];
}

export interface NewMembership {
  memberId: string;
  communityId: string;
  currencyId: string;
  accountId: string;
  role: MembershipRole;
}

function toMember(row: Row): Member {
  return {
    id: row.id as string,
    email: row.email as string,
    kind: row.kind as MemberKind,
    displayName: row.display_name as string,
    bio: row.bio as string,
    district: row.district as string,
    skills: row.skills as string[],
    tags: row.tags as string[],
    languages: row.languages as string[],
    isAdmin: row.is_admin as boolean,
    createdAt: row.created_at as Date,
  };
}

function toMembership(row: Row): Membership {
  return {
    id: row.id as string,
    memberId: row.member_id as string,
    communityId: row.community_id as string,
    currencyId: row.currency_id as string,
    accountId: row.account_id as string,
    role: row.role as MembershipRole,
    status: row.status as MembershipStatus,
    createdAt: row.created_at as Date,
    approvedAt: row.approved_at as Date | null,
    closedAt: row.closed_at as Date | null,
  };
}

/** Which of a community's memberships a list holds: its page and its count share these conditions. */
export interface MembershipFilter {
  communityId: string;
  status?: MembershipStatus;
  /** Only memberships whose member's display name contains this text, in any case. */
  nameContains?: string;
  /** Only memberships whose member's display name or email contains this text, in any case: for managers, who see emails. */
  nameOrEmailContains?: string;
  /** Leaves this member's own membership out. */
  exceptMemberId?: string;
}

function membershipsWhere(filter: MembershipFilter): { where: string[]; params: unknown[] } {
  const params: unknown[] = [filter.communityId];
  const where = ['community_id = $1'];
  if (filter.status) where.push(`status = $${params.push(filter.status)}`);
  if (filter.exceptMemberId) where.push(`member_id <> $${params.push(filter.exceptMemberId)}`);
  if (filter.nameContains) {
    const pattern = `$${params.push(containing(filter.nameContains))}`;
    where.push(`member_id IN (SELECT id FROM members WHERE display_name ILIKE ${pattern})`);
  }
  if (filter.nameOrEmailContains) {
    const pattern = `$${params.push(containing(filter.nameOrEmailContains))}`;
    where.push(`member_id IN (SELECT id FROM members WHERE display_name ILIKE ${pattern} OR email ILIKE ${pattern})`);
  }
  return { where, params };
}

/** Members, memberships and invitations. */
@Injectable()
export class MembersRepository {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly sessions: SessionCache,
  ) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** Null when the email is taken: the unique index decides, so two registrations cannot both win. */
  async insertMember(member: NewMember): Promise<Member | null> {
    const rows = await this.query(
      `INSERT INTO members (email, password_hash, kind, display_name, bio, district, skills, tags, languages, is_admin)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (email) DO NOTHING RETURNING *`,
      [
        member.email,
        member.passwordHash,
        member.kind,
        member.displayName,
        member.bio ?? '',
        member.district ?? '',
        member.skills ?? [],
        member.tags ?? [],
        member.languages ?? [],
        member.isAdmin ?? false,
      ],
    );
    return rows[0] ? toMember(rows[0]) : null;
  }

  async findMember(id: string): Promise<Member | null> {
    const [row] = await this.query('SELECT * FROM members WHERE id = $1', [id]);
    return row ? toMember(row) : null;
  }

  async findMembers(ids: string[]): Promise<Member[]> {
    return (await this.query('SELECT * FROM members WHERE id = ANY($1::bigint[])', [ids])).map(toMember);
  }

  async findMemberByEmail(email: string): Promise<Member | null> {
    const [row] = await this.query('SELECT * FROM members WHERE email = $1', [email]);
    return row ? toMember(row) : null;
  }

  async updateProfile(id: string, profile: Profile): Promise<Member> {
    const [row] = await this.query(
      `UPDATE members SET display_name = coalesce($2, display_name), bio = coalesce($3, bio), district = coalesce($4, district),
              skills = coalesce($5, skills), tags = coalesce($6, tags), languages = coalesce($7, languages), updated_at = now()
        WHERE id = $1 RETURNING *`,
      [
        id,
        profile.displayName ?? null,
        profile.bio ?? null,
        profile.district ?? null,
        profile.skills ?? null,
        profile.tags ?? null,
        profile.languages ?? null,
      ],
    );
    return toMember(row);
  }

  async setPassword(memberId: string, passwordHash: string): Promise<void> {
    await this.query('UPDATE members SET password_hash = $2, updated_at = now() WHERE id = $1', [
      memberId,
      passwordHash,
    ]);
  }

  async setAdmin(memberId: string): Promise<void> {
    await this.query('UPDATE members SET is_admin = true, updated_at = now() WHERE id = $1', [memberId]);
    this.sessions.forgetMember(memberId);
  }

  async insertMembership(membership: NewMembership): Promise<Membership | null> {
    const rows = await this.query(
      `INSERT INTO memberships (member_id, community_id, currency_id, account_id, role) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (member_id, community_id) WHERE status <> 'closed' DO NOTHING RETURNING *`,
      [membership.memberId, membership.communityId, membership.currencyId, membership.accountId, membership.role],
    );
    this.sessions.forgetMember(membership.memberId);
    return rows[0] ? toMembership(rows[0]) : null;
  }

  async findMembership(id: string): Promise<Membership | null> {
    const [row] = await this.query('SELECT * FROM memberships WHERE id = $1', [id]);
    return row ? toMembership(row) : null;
  }

  /** Locked for the rest of the transaction: two coordinators acting at once take turns. */
  async lockMembership(id: string): Promise<Membership | null> {
    const [row] = await this.query('SELECT * FROM memberships WHERE id = $1 FOR UPDATE', [id]);
    return row ? toMembership(row) : null;
  }

  async openMembership(memberId: string, communityId: string): Promise<Membership | null> {
    const [row] = await this.query(
      `SELECT * FROM memberships WHERE member_id = $1 AND community_id = $2 AND status <> 'closed'`,
      [memberId, communityId],
    );
    return row ? toMembership(row) : null;
  }

  async membershipsOf(memberId: string): Promise<Membership[]> {
    return (await this.query('SELECT * FROM memberships WHERE member_id = $1 ORDER BY id', [memberId])).map(
      toMembership,
    );
  }

  async membershipsIn(filter: MembershipFilter & { afterId?: bigint; limit: number }): Promise<Membership[]> {
    const { where, params } = membershipsWhere(filter);
    if (filter.afterId !== undefined) where.push(`id > $${params.push(filter.afterId.toString())}`);
    return (
      await this.query(
        `SELECT * FROM memberships WHERE ${where.join(' AND ')} ORDER BY id LIMIT $${params.push(filter.limit)}`,
        params,
      )
    ).map(toMembership);
  }

  /** How many memberships membershipsIn lists over all its pages. */
  async countMembershipsIn(filter: MembershipFilter): Promise<number> {
    const { where, params } = membershipsWhere(filter);
    const [row] = await this.query(
      `SELECT count(*)::int AS count FROM memberships WHERE ${where.join(' AND ')}`,
      params,
    );
    return row.count as number;
  }

  async updateMembership(
    id: string,
    change: { status?: MembershipStatus; role?: MembershipRole },
  ): Promise<Membership> {
    const [row] = await this.query(
      `UPDATE memberships SET status = coalesce($2, status), role = coalesce($3, role),
              approved_at = CASE WHEN $2 = 'active' THEN coalesce(approved_at, now()) ELSE approved_at END,
              closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
        WHERE id = $1 RETURNING *`,
      [id, change.status ?? null, change.role ?? null],
    );
    const membership = toMembership(row);
    this.sessions.forgetMember(membership.memberId);
    return membership;
  }

  /** Communities where this member holds an open membership. */
  async communitiesOf(memberId: string): Promise<string[]> {
    return (await this.openCommunitiesOf([memberId])).map((row) => row.communityId);
  }

  /** Each member's open memberships' communities, for many members in one query. */
  async openCommunitiesOf(memberIds: string[]): Promise<{ memberId: string; communityId: string }[]> {
    const rows = await this.query(
      `SELECT member_id, community_id FROM memberships WHERE member_id = ANY($1::bigint[]) AND status <> 'closed'`,
      [memberIds],
    );
    return rows.map((row) => ({ memberId: row.member_id as string, communityId: row.community_id as string }));
  }

  /** The currency a community's memberships hold: its first. */
  async communityCurrency(communityId: string): Promise<string | null> {
    const [row] = await this.query('SELECT id FROM currencies WHERE community_id = $1 ORDER BY id LIMIT 1', [
      communityId,
    ]);
    return (row?.id as string | undefined) ?? null;
  }

  async insertInvitation(invitation: {
    membershipId: string;
    invitedBy: string;
    tokenHash: string;
    expiresAt: Date;
  }): Promise<void> {
    await this.query(
      'INSERT INTO invitations (membership_id, invited_by, token_hash, expires_at) VALUES ($1, $2, $3, $4)',
      [invitation.membershipId, invitation.invitedBy, invitation.tokenHash, invitation.expiresAt],
    );
  }

  /** Claims an unexpired invitation once: of two concurrent acceptances, one gets the member. */
  /** The invited member of a live, unused invitation: whose details the new password must not be made of. */
  async pendingInvitee(tokenHash: string): Promise<{ email: string; displayName: string } | null> {
    const [row] = await this.query(
      `SELECT mb.email, mb.display_name FROM invitations i JOIN memberships m ON m.id = i.membership_id JOIN members mb ON mb.id = m.member_id
        WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now()`,
      [tokenHash],
    );
    return row ? { email: row.email as string, displayName: row.display_name as string } : null;
  }

  async claimInvitation(tokenHash: string): Promise<string | null> {
    const [row] = await this.query(
      `UPDATE invitations i SET accepted_at = now() FROM memberships m
        WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.expires_at > now() AND m.id = i.membership_id
        RETURNING m.member_id`,
      [tokenHash],
    );
    return (row?.member_id as string | undefined) ?? null;
  }
}
