import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../libs/database/bigint.transformer.js';

/**
 * A time bank. Its policies are data, changed by its coordinators (each change is audited), so
 * that two communities on one server can run different rules without a deploy.
 */
@Entity({ name: 'communities' })
@Check('CHK_communities_starter_grant', `"starter_grant" >= 0`)
@Check(
  'CHK_communities_default_limits',
  `"default_lower_limit" <= 0 AND ("default_upper_limit" IS NULL OR "default_upper_limit" >= "starter_grant")`,
)
@Check('CHK_communities_auto_confirm', `"auto_confirm_seconds" BETWEEN 60 AND 7776000`)
@Check('CHK_communities_hold_timeout', `"hold_timeout_seconds" BETWEEN 60 AND 604800`)
export class CommunityEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  slug: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** Paid from the issuance account when a membership is approved, once per membership. */
  @Column({ name: 'starter_grant', type: 'bigint', default: 0, transformer: bigintTransformer })
  starterGrant: bigint;

  /** The lower limit of a new member account; negative is a credit line. */
  @Column({ name: 'default_lower_limit', type: 'bigint', default: 0, transformer: bigintTransformer })
  defaultLowerLimit: bigint;

  /** The upper limit of a new member account; null is no cap. */
  @Column({ name: 'default_upper_limit', type: 'bigint', nullable: true, transformer: bigintTransformer })
  defaultUpperLimit: bigint | null;

  /** How long after delivery an exchange the receiver has not confirmed confirms itself. */
  @Column({ name: 'auto_confirm_seconds', type: 'integer', default: 259200 })
  autoConfirmSeconds: number;

  /** The timeout given to holds when a request names none. */
  @Column({ name: 'hold_timeout_seconds', type: 'integer', default: 604800 })
  holdTimeoutSeconds: number;

  /** Whether active members may see each other's balances (never their statements). */
  @Column({ name: 'balances_visible', type: 'boolean', default: false })
  balancesVisible: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
