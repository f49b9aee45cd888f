import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { PartnerScope } from '../access/actor.js';
import { PartnerAppRow, toPartnerApp } from '../directory/partner-app.row.js';

type Row = Record<string, unknown>;

/** A partner app as the OAuth server and its consent page see it. */
export interface OAuthClientRow {
  id: string;
  name: string;
  communityId: string;
  communityName: string;
  scopes: PartnerScope[];
  redirectUris: string[];
  owner: string | null;
  websiteUrl: string | null;
  logoUrl: string | null;
  contactEmail: string | null;
}

/** What an OAuth access token stands for, read with the rules that keep it working. */
export interface AccessTokenGrant {
  memberId: string;
  partnerAppId: string;
  communityId: string;
  /** The scopes the member approved for this token. */
  scope: string;
  /** Whether the app is (still) registered to act for members. */
  appActsForMembers: boolean;
}

export interface ConsentRow {
  id: string;
  partnerAppId: string;
  memberId: string;
  createdAt: Date;
}

export interface ProfileChange {
  redirectUris: string[];
  owner: string | null;
  websiteUrl: string | null;
  logoUrl: string | null;
  contactEmail: string | null;
}

/** Partner apps as OAuth clients, members' consents to them, and the access tokens they hold. */
@Injectable()
export class OAuthRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** A live app with its community's name (for the consent page), whatever its scopes. */
  async client(partnerAppId: string): Promise<OAuthClientRow | null> {
    const [row] = await this.query(
      `SELECT a.id, a.name, a.community_id, c.name AS community_name, a.scopes, a.redirect_uris, a.owner, a.website_url,
              a.logo_url,
              a.contact_email
         FROM partner_apps a JOIN communities c ON c.id = a.community_id
        WHERE a.id = $1 AND a.revoked_at IS NULL`,
      [partnerAppId],
    );
    if (!row) return null;
    return {
      id: row.id as string,
      name: row.name as string,
      communityId: row.community_id as string,
      communityName: row.community_name as string,
      scopes: row.scopes as PartnerScope[],
      redirectUris: row.redirect_uris as string[],
      owner: row.owner as string | null,
      websiteUrl: row.website_url as string | null,
      logoUrl: row.logo_url as string | null,
      contactEmail: row.contact_email as string | null,
    };
  }

  /** Partner apps by id, revoked ones too, in no particular order. */
  async partnerApps(ids: string[]): Promise<PartnerAppRow[]> {
    return (await this.query('SELECT * FROM partner_apps WHERE id = ANY ($1::bigint[])', [ids])).map(toPartnerApp);
  }

  async memberExists(memberId: string): Promise<boolean> {
    return (await this.query('SELECT 1 FROM members WHERE id = $1', [memberId])).length > 0;
  }

  /** Whether the member belongs to the community: active, or suspended (who may still read their own books). */
  async belongsTo(memberId: string, communityId: string): Promise<boolean> {
    const rows = await this.query(
      `SELECT 1 FROM memberships WHERE member_id = $1 AND community_id = $2 AND status IN ('active', 'suspended')`,
      [memberId, communityId],
    );
    return rows.length > 0;
  }

  async memberName(memberId: string): Promise<{ displayName: string; email: string } | null> {
    const [row] = await this.query('SELECT display_name, email FROM members WHERE id = $1', [memberId]);
    return row ? { displayName: row.display_name as string, email: row.email as string } : null;
  }

  /**
   * The live access token's member and app, while the app is live and the member's consent stands:
   * withdrawing either deletes the token too (see the migration), and this reads both again anyway.
   */
  async accessTokenGrant(token: string): Promise<AccessTokenGrant | null> {
    const [row] = await this.query(
      `SELECT p.member_id, a.id AS partner_app_id, a.community_id, coalesce(p.payload->>'scope', '') AS scope,
              'act_for_member' = ANY (a.scopes) AS acts_for_members
         FROM oauth_payloads p
         JOIN partner_apps a ON a.id = p.partner_app_id AND a.revoked_at IS NULL
        WHERE p.model = 'AccessToken' AND p.id = $1 AND p.expires_at > now()
          AND EXISTS (SELECT 1 FROM partner_consents c
                       WHERE c.partner_app_id = a.id AND c.member_id = p.member_id AND c.revoked_at IS NULL)`,
      [token],
    );
    if (!row) return null;
    return {
      memberId: row.member_id as string,
      partnerAppId: row.partner_app_id as string,
      communityId: row.community_id as string,
      scope: row.scope as string,
      appActsForMembers: row.acts_for_members as boolean,
    };
  }

  /** Idempotent: a live consent is kept as it is. The same row grantPartnerConsent writes, so the same rules apply. */
  async grantConsent(partnerAppId: string, memberId: string): Promise<void> {
    await this.query(
      `INSERT INTO partner_consents (partner_app_id, member_id) VALUES ($1, $2)
       ON CONFLICT (partner_app_id, member_id) WHERE revoked_at IS NULL DO NOTHING`,
      [partnerAppId, memberId],
    );
  }

  /** The member's live consents, newest first. */
  async liveConsentsOf(memberId: string): Promise<ConsentRow[]> {
    const rows = await this.query(
      `SELECT c.id, c.partner_app_id, c.member_id, c.created_at
         FROM partner_consents c JOIN partner_apps a ON a.id = c.partner_app_id
        WHERE c.member_id = $1 AND c.revoked_at IS NULL AND a.revoked_at IS NULL ORDER BY c.id DESC`,
      [memberId],
    );
    return rows.map(toConsent);
  }

  /** Withdraws the app's live consents, of one member or of all; returns those withdrawn. */
  async revokeConsentsOfApp(partnerAppId: string, memberId: string | null): Promise<ConsentRow[]> {
    const rows = await this.query(
      `UPDATE partner_consents SET revoked_at = now()
        WHERE partner_app_id = $1 AND ($2::bigint IS NULL OR member_id = $2) AND revoked_at IS NULL
        RETURNING id, partner_app_id, member_id, created_at`,
      [partnerAppId, memberId],
    );
    return rows.map(toConsent);
  }

  async updateProfile(partnerAppId: string, change: ProfileChange): Promise<void> {
    await this.query(
      `UPDATE partner_apps SET redirect_uris = $2, owner = $3, website_url = $4, logo_url = $5, contact_email = $6
        WHERE id = $1`,
      [partnerAppId, change.redirectUris, change.owner, change.websiteUrl, change.logoUrl, change.contactEmail],
    );
  }

  /** Deletes up to `limit` expired rows that no other sweeper holds; returns how many. */
  async deleteExpired(limit: number): Promise<number> {
    const rows = await this.query(
      `DELETE FROM oauth_payloads WHERE (model, id) IN (
         SELECT model, id FROM oauth_payloads WHERE expires_at < now()
          ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [limit],
    );
    return rows.length;
  }
}

function toConsent(row: Row): ConsentRow {
  return {
    id: row.id as string,
    partnerAppId: row.partner_app_id as string,
    memberId: row.member_id as string,
    createdAt: row.created_at as Date,
  };
}
