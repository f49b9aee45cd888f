import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn } from 'typeorm';
import { CommunityEntity } from './community.entity.js';
import { MemberEntity } from './member.entity.js';

/** A registered client of the API. What it may do is its scopes, within its one community. */
@Entity({ name: 'partner_apps' })
@Check(
  'CHK_partner_apps_scopes',
  `"scopes" <@ ARRAY['audit:read', 'act_for_member']::text[] AND cardinality("scopes") > 0`,
)
export class PartnerAppEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ type: 'text', array: true })
  scopes: string[];

  @Column({ name: 'created_by', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  createdBy: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  /** Where the OAuth server may send a member back with an authorization code; none means no OAuth. */
  @Column({ name: 'redirect_uris', type: 'text', array: true, default: () => "'{}'" })
  redirectUris: string[];

  /** Who runs the app, as the consent page shows it to members. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  owner: string | null;

  @Column({ name: 'website_url', type: 'varchar', length: 2048, nullable: true })
  websiteUrl: string | null;

  @Column({ name: 'logo_url', type: 'varchar', length: 2048, nullable: true })
  logoUrl: string | null;

  @Column({ name: 'contact_email', type: 'varchar', length: 254, nullable: true })
  contactEmail: string | null;
}
