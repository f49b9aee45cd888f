import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccountEntity } from '../../ledger/entities/account.entity.js';
import { CommunityEntity } from '../../directory/community.entity.js';
import { CurrencyEntity } from '../../ledger/entities/currency.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';

/**
 * A member's standing in one community, with its own account in that community's currency.
 * The composite keys make the database refuse an account of another community's currency.
 */
@Entity({ name: 'memberships' })
@Check('CHK_memberships_role', `"role" IN ('member', 'coordinator')`)
@Check('CHK_memberships_status', `"status" IN ('pending', 'active', 'suspended', 'closed')`)
@Check('CHK_memberships_closed_at', `("status" = 'closed') = ("closed_at" IS NOT NULL)`)
// One open membership per member and community; a closed one may be followed by a new one.
@Index('UQ_memberships_open_per_community', ['memberId', 'communityId'], {
  unique: true,
  where: `"status" <> 'closed'`,
})
@Index('IDX_memberships_community', ['communityId', 'id'])
@ForeignKey(() => AccountEntity, ['accountId', 'currencyId'], ['id', 'currencyId'], { onDelete: 'RESTRICT' })
@ForeignKey(() => CurrencyEntity, ['currencyId', 'communityId'], ['id', 'communityId'], { onDelete: 'RESTRICT' })
export class MembershipEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'member_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  memberId: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  currencyId: string;

  @Column({ name: 'account_id', type: 'bigint', unique: true })
  accountId: string;

  @Column({ type: 'varchar', length: 16, default: 'member' })
  role: string;

  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt: Date | null;
}
