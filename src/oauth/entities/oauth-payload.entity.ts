import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';
import { PartnerAppEntity } from '../../directory/partner-app.entity.js';

/**
 * What the OAuth server (oidc-provider) keeps between requests: authorization codes, access and
 * refresh tokens, grants, login sessions and interactions, one row each, as the library's JSON.
 * The app and member they belong to are copied out of the JSON into columns, so that withdrawing a
 * consent or revoking an app deletes their tokens in the same statement (see the migration).
 */
@Entity({ name: 'oauth_payloads' })
@Index('IDX_oauth_payloads_grant', ['grantId'])
@Index('IDX_oauth_payloads_uid', ['uid'])
@Index('IDX_oauth_payloads_app_member', ['partnerAppId', 'memberId'])
@Index('IDX_oauth_payloads_expiry', ['expiresAt'])
export class OAuthPayloadEntity {
  /** The library's model name: AccessToken, RefreshToken, AuthorizationCode, Grant, Session, Interaction. */
  @PrimaryColumn({ type: 'varchar', length: 40 })
  model: string;

  /** The library's id: for opaque tokens and codes, the secret itself (256 random bits), as the library looks it up. */
  @PrimaryColumn({ type: 'varchar', length: 100 })
  id: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @Column({ name: 'grant_id', type: 'varchar', length: 100, nullable: true })
  grantId: string | null;

  /** A login session's fixed id, by which the library finds it again. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  uid: string | null;

  /** The OAuth client (`clientId`), when it names a partner app. */
  @Column({ name: 'partner_app_id', type: 'bigint', nullable: true })
  @ForeignKey(() => PartnerAppEntity, { onDelete: 'CASCADE' })
  partnerAppId: string | null;

  /** The member (`accountId`) the row was issued for. */
  @Column({ name: 'member_id', type: 'bigint', nullable: true })
  @ForeignKey(() => MemberEntity, { onDelete: 'CASCADE' })
  memberId: string | null;

  /** Null for rows the library keeps without an expiry. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  /** Set once an authorization code or a refresh token is used: presenting it again revokes its grant. */
  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt: Date | null;
}
