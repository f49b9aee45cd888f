import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CommunityEntity } from '../../directory/community.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';
import { PartnerAppEntity } from '../../directory/partner-app.entity.js';

/** One privileged action, written in the transaction of the action itself. Append-only. */
@Entity({ name: 'audit_log' })
@Check('CHK_audit_log_actor_role', `"actor_role" IN ('admin', 'coordinator', 'member', 'partner', 'system')`)
@Index('IDX_audit_log_community', ['communityId', 'id'])
@Index('IDX_audit_log_target', ['targetType', 'targetId'])
export class AuditEntryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'actor_member_id', type: 'bigint', nullable: true })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  actorMemberId: string | null;

  @Column({ name: 'actor_role', type: 'varchar', length: 16 })
  actorRole: string;

  /** The client the action came through, when it came through a partner app. */
  @Column({ name: 'partner_app_id', type: 'bigint', nullable: true })
  @ForeignKey(() => PartnerAppEntity, { onDelete: 'RESTRICT' })
  partnerAppId: string | null;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'community_id', type: 'bigint', nullable: true })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string | null;

  @Column({ name: 'target_type', type: 'varchar', length: 32 })
  targetType: string;

  @Column({ name: 'target_id', type: 'varchar', length: 64 })
  targetId: string;

  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
