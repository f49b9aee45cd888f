import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { PartnerAppEntity } from '../../directory/partner-app.entity.js';

/** A partner app's secret, kept only as its SHA-256 hash; rotation revokes the old key at once. */
@Entity({ name: 'api_keys' })
@Index('UQ_api_keys_one_live_key_per_app', ['partnerAppId'], { unique: true, where: `"revoked_at" IS NULL` })
export class ApiKeyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'partner_app_id', type: 'bigint' })
  @ForeignKey(() => PartnerAppEntity, { onDelete: 'RESTRICT' })
  partnerAppId: string;

  @Column({ name: 'key_hash', type: 'char', length: 64, unique: true })
  keyHash: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
