import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';
import { PartnerAppEntity } from '../../directory/partner-app.entity.js';

/** A member's consent that a partner app with the act_for_member scope may act for them. */
@Entity({ name: 'partner_consents' })
@Index('UQ_partner_consents_live', ['partnerAppId', 'memberId'], { unique: true, where: `"revoked_at" IS NULL` })
export class PartnerConsentEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'partner_app_id', type: 'bigint' })
  @ForeignKey(() => PartnerAppEntity, { onDelete: 'RESTRICT' })
  partnerAppId: string;

  @Column({ name: 'member_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  memberId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}
