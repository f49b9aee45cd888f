import { Check, Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { CommunityEntity } from '../../directory/community.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';

/**
 * One run of the ledger's invariant check over a community: each check passed or failed, with the
 * first offending rows. A failed run is an alert until a manager acknowledges it.
 */
@Entity({ name: 'verification_runs' })
@Check('CHK_verification_runs_trigger', `"trigger" IN ('on_demand', 'scheduled')`)
@Index('IDX_verification_runs_community', ['communityId', 'id'])
export class VerificationRunEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ type: 'varchar', length: 16 })
  trigger: string;

  /** Who asked for an on-demand run. */
  @Column({ name: 'requested_by', type: 'bigint', nullable: true })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  requestedBy: string | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt: Date;

  @Column({ type: 'boolean' })
  passed: boolean;

  /** Every check by name: passed, and the first offending rows of a failed one. */
  @Column({ type: 'jsonb' })
  checks: Record<string, unknown>[];

  @Column({ name: 'acknowledged_at', type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ name: 'acknowledged_by', type: 'bigint', nullable: true })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  acknowledgedBy: string | null;
}
