import { Injectable } from '@nestjs/common';
import { PartnerAppRow, toPartnerApp } from '../directory/partner-app.row.js';
import { prepared } from '../../libs/database/prepared-statements.js';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { PartnerScope } from '../access/actor.js';
import type { Standing } from '../access/actor.js';
import { LiveSession, SessionCache } from './session-cache.service.js';

type Row = Record<string, unknown>;

export interface Credentials {
  memberId: string;
  passwordHash: string | null;
}

export interface NewSession {
  memberId: string;
  accessTokenHash: string;
  accessExpiresAt: Date;
  refreshTokenHash: string;
  refreshExpiresAt: Date;
}

export interface Rotation {
  sessionId: string;
  memberId: string;
  presentedRefreshTokenHash: string;
  accessTokenHash: string;
  accessExpiresAt: Date;
  refreshTokenHash: string;
  refreshExpiresAt: Date;
}

/** A member's sessions that can still be refreshed ($1: the member). */
const LIVE_SESSIONS_OF = 'member_id = $1 AND revoked_at IS NULL AND refresh_expires_at > now()';

/** The session of an access token with its member's open memberships ($1: the token's hash): every request's that misses the session cache, so prepared. */
const LIVE_SESSION = prepared(
  `SELECT s.id, s.member_id, m.is_admin, s.access_expires_at,
          coalesce((SELECT json_agg(json_build_object('communityId', ms.community_id::text, 'role', ms.role, 'status', ms.status))
                      FROM memberships ms WHERE ms.member_id = s.member_id AND ms.status <> 'closed'), '[]') AS standings
     FROM sessions s JOIN members m ON m.id = s.member_id
    WHERE s.access_token_hash = $1 AND s.revoked_at IS NULL AND s.access_expires_at > now()`,
);

/** Credentials, sessions, partner apps and their keys and consents. */
@Injectable()
export class IdentityRepository {
  constructor(
    private readonly db: TransactionalConnection,
    private readonly cache: SessionCache,
  ) {}

  private async query(sql: string, params: unknown[] = []): Promise<Row[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  async credentials(email: string): Promise<Credentials | null> {
    const [row] = await this.query('SELECT id, password_hash FROM members WHERE email = $1', [email]);
    return row ? { memberId: row.id as string, passwordHash: row.password_hash as string | null } : null;
  }

  /** With the member's email and name: what the new password must not be made of, and the email its guesses count against. */
  async credentialsOf(memberId: string): Promise<Credentials & { email: string; displayName: string }> {
    const [row] = await this.query('SELECT id, email, display_name, password_hash FROM members WHERE id = $1', [
      memberId,
    ]);
    return {
      memberId: row.id as string,
      email: row.email as string,
      displayName: row.display_name as string,
      passwordHash: row.password_hash as string | null,
    };
  }

  async setPassword(memberId: string, passwordHash: string): Promise<void> {
    await this.query('UPDATE members SET password_hash = $2, updated_at = now() WHERE id = $1', [
      memberId,
      passwordHash,
    ]);
  }

  async insertSession(session: NewSession): Promise<string> {
    const [row] = await this.query(
      `INSERT INTO sessions (member_id, access_token_hash, access_expires_at, refresh_token_hash, refresh_expires_at)
       VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [
        session.memberId,
        session.accessTokenHash,
        session.accessExpiresAt,
        session.refreshTokenHash,
        session.refreshExpiresAt,
      ],
    );
    return row.id as string;
  }

  /** The session with its member's open memberships, in one query: most requests need nothing more to be authorized. */
  async liveSession(accessTokenHash: string): Promise<LiveSession | null> {
    const [row] = await this.query(LIVE_SESSION, [accessTokenHash]);
    if (!row) return null;
    return {
      sessionId: row.id as string,
      memberId: row.member_id as string,
      isAdmin: row.is_admin as boolean,
      standings: row.standings as Standing[],
      accessExpiresAt: row.access_expires_at as Date,
    };
  }

  /** The live session a refresh token belongs to, or, if the token was already rotated away, `replayed`. */
  async sessionForRefresh(
    refreshTokenHash: string,
  ): Promise<{ sessionId: string; memberId: string; replayed: boolean } | null> {
    const [row] = await this.query(
      `SELECT s.id, s.member_id, s.refresh_token_hash = $1 AS current
         FROM sessions s LEFT JOIN retired_refresh_tokens r ON r.session_id = s.id AND r.token_hash = $1
        WHERE (s.refresh_token_hash = $1 OR r.token_hash IS NOT NULL) AND s.revoked_at IS NULL AND s.refresh_expires_at > now()`,
      [refreshTokenHash],
    );
    return row
      ? { sessionId: row.id as string, memberId: row.member_id as string, replayed: !(row.current as boolean) }
      : null;
  }

  /** Compare-and-swap on the presented token: of two concurrent refreshes with one token, one wins. The old token is retired. */
  async rotate(rotation: Rotation): Promise<boolean> {
    const rows = await this.query(
      `WITH rotated AS (
         UPDATE sessions SET access_token_hash = $3, access_expires_at = $4, refresh_token_hash = $5, refresh_expires_at = $6
          WHERE id = $1 AND refresh_token_hash = $2 AND revoked_at IS NULL RETURNING id)
       INSERT INTO retired_refresh_tokens (token_hash, session_id) SELECT $2, id FROM rotated RETURNING session_id`,
      [
        rotation.sessionId,
        rotation.presentedRefreshTokenHash,
        rotation.accessTokenHash,
        rotation.accessExpiresAt,
        rotation.refreshTokenHash,
        rotation.refreshExpiresAt,
      ],
    );
    this.cache.forgetMember(rotation.memberId);
    return rows.length === 1;
  }

  async revokeSession(sessionId: string): Promise<void> {
    const [row] = await this.query(
      'UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING member_id',
      [sessionId],
    );
    if (row) this.cache.forgetMember(row.member_id as string);
  }

  /** Ends the member's sessions, all of them or all but one; returns how many ended. */
  async revokeSessionsOf(memberId: string, exceptSessionId: string | null = null): Promise<number> {
    const rows = await this.query(
      'UPDATE sessions SET revoked_at = now() WHERE member_id = $1 AND revoked_at IS NULL AND ($2::bigint IS NULL OR id <> $2) RETURNING id',
      [memberId, exceptSessionId],
    );
    this.cache.forgetMember(memberId);
    return rows.length;
  }

  /** Ends one session if it is this member's; false otherwise, so that other members' sessions stay out of reach. */
  async revokeSessionOf(memberId: string, sessionId: string): Promise<boolean> {
    const rows = await this.query(
      'UPDATE sessions SET revoked_at = now() WHERE id = $1 AND member_id = $2 AND revoked_at IS NULL RETURNING id',
      [sessionId, memberId],
    );
    this.cache.forgetMember(memberId);
    return rows.length === 1;
  }

  /** Sessions that can still be refreshed, newest first; with `beforeId`, only older ones, and at most `limit`. */
  async liveSessionsOf(
    memberId: string,
    page: { beforeId?: bigint; limit?: number } = {},
  ): Promise<{ id: string; createdAt: Date; refreshExpiresAt: Date }[]> {
    const rows = await this.query(
      `SELECT id, created_at, refresh_expires_at FROM sessions WHERE ${LIVE_SESSIONS_OF} AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [memberId, page.beforeId?.toString() ?? null, page.limit ?? null],
    );
    return rows.map((row) => ({
      id: row.id as string,
      createdAt: row.created_at as Date,
      refreshExpiresAt: row.refresh_expires_at as Date,
    }));
  }

  async liveApiKey(keyHash: string): Promise<PartnerAppRow | null> {
    const [row] = await this.query(
      `SELECT a.* FROM api_keys k JOIN partner_apps a ON a.id = k.partner_app_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND a.revoked_at IS NULL`,
      [keyHash],
    );
    return row ? toPartnerApp(row) : null;
  }

  /** Whether the session can still be used (not ended, refreshable), with its member's admin flag as it is now. */
  async liveSessionById(sessionId: string): Promise<{ memberId: string; isAdmin: boolean } | null> {
    const [row] = await this.query(
      `SELECT s.member_id, m.is_admin FROM sessions s JOIN members m ON m.id = s.member_id
        WHERE s.id = $1 AND s.revoked_at IS NULL AND s.refresh_expires_at > now()`,
      [sessionId],
    );
    return row ? { memberId: row.member_id as string, isAdmin: row.is_admin as boolean } : null;
  }

  async activePartnerApp(partnerAppId: string): Promise<PartnerAppRow | null> {
    const [row] = await this.query('SELECT * FROM partner_apps WHERE id = $1 AND revoked_at IS NULL', [partnerAppId]);
    return row ? toPartnerApp(row) : null;
  }

  async hasConsent(partnerAppId: string, memberId: string): Promise<boolean> {
    const rows = await this.query(
      'SELECT 1 FROM partner_consents WHERE partner_app_id = $1 AND member_id = $2 AND revoked_at IS NULL',
      [partnerAppId, memberId],
    );
    return rows.length > 0;
  }

  async insertPartnerApp(app: {
    name: string;
    communityId: string;
    scopes: PartnerScope[];
    createdBy: string;
  }): Promise<PartnerAppRow> {
    const [row] = await this.query(
      'INSERT INTO partner_apps (name, community_id, scopes, created_by) VALUES ($1, $2, $3, $4) RETURNING *',
      [app.name, app.communityId, app.scopes, app.createdBy],
    );
    return toPartnerApp(row);
  }

  async findPartnerApp(id: string): Promise<PartnerAppRow | null> {
    const [row] = await this.query('SELECT * FROM partner_apps WHERE id = $1', [id]);
    return row ? toPartnerApp(row) : null;
  }

  async findPartnerApps(ids: string[]): Promise<PartnerAppRow[]> {
    return (await this.query('SELECT * FROM partner_apps WHERE id = ANY($1::bigint[])', [ids])).map(toPartnerApp);
  }

  async countLiveSessionsOf(memberId: string): Promise<number> {
    const [row] = await this.query(`SELECT count(*)::int AS count FROM sessions WHERE ${LIVE_SESSIONS_OF}`, [memberId]);
    return row.count as number;
  }

  /** A community's apps after `afterId`, in order of id. */
  async partnerAppsPage(communityId: string, afterId: bigint | undefined, limit: number): Promise<PartnerAppRow[]> {
    const rows = await this.query(
      'SELECT * FROM partner_apps WHERE community_id = $1 AND id > $2 ORDER BY id LIMIT $3',
      [communityId, afterId?.toString() ?? 0, limit],
    );
    return rows.map(toPartnerApp);
  }

  async countPartnerAppsOf(communityId: string): Promise<number> {
    const [row] = await this.query('SELECT count(*)::int AS count FROM partner_apps WHERE community_id = $1', [
      communityId,
    ]);
    return row.count as number;
  }

  async partnerAppsOf(communityId: string): Promise<PartnerAppRow[]> {
    return (await this.query('SELECT * FROM partner_apps WHERE community_id = $1 ORDER BY id', [communityId])).map(
      toPartnerApp,
    );
  }

  /** Revokes the app's live key (if any) and stores the new one: the old key stops working at this commit. */
  async replaceApiKey(partnerAppId: string, keyHash: string): Promise<void> {
    await this.query('UPDATE api_keys SET revoked_at = now() WHERE partner_app_id = $1 AND revoked_at IS NULL', [
      partnerAppId,
    ]);
    await this.query('INSERT INTO api_keys (partner_app_id, key_hash) VALUES ($1, $2)', [partnerAppId, keyHash]);
  }

  async revokePartnerApp(partnerAppId: string): Promise<void> {
    await this.query('UPDATE api_keys SET revoked_at = now() WHERE partner_app_id = $1 AND revoked_at IS NULL', [
      partnerAppId,
    ]);
    await this.query('UPDATE partner_apps SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [partnerAppId]);
  }

  /** Idempotent: a live consent is kept as it is. */
  async grantConsent(partnerAppId: string, memberId: string): Promise<void> {
    await this.query(
      `INSERT INTO partner_consents (partner_app_id, member_id) VALUES ($1, $2)
       ON CONFLICT (partner_app_id, member_id) WHERE revoked_at IS NULL DO NOTHING`,
      [partnerAppId, memberId],
    );
  }

  async revokeConsent(partnerAppId: string, memberId: string): Promise<boolean> {
    const rows = await this.query(
      'UPDATE partner_consents SET revoked_at = now() WHERE partner_app_id = $1 AND member_id = $2 AND revoked_at IS NULL RETURNING id',
      [partnerAppId, memberId],
    );
    return rows.length > 0;
  }
}
