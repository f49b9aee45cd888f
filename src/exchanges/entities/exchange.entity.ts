import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { bigintTransformer } from '../../../libs/database/bigint.transformer.js';
import { AccountEntity } from '../../ledger/entities/account.entity.js';
import { CommunityEntity } from '../../directory/community.entity.js';
import { TransferEntity } from '../../ledger/entities/transfer.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';
import { ExchangeGroupEntity } from './exchange-group.entity.js';
import { ListingEntity } from '../../listings/entities/listing.entity.js';

/**
 * One deal between a provider and a receiver, tracked from proposal to settlement. It pays only
 * through the ledger: a hold (a pending transfer from the receiver to the provider) on acceptance,
 * posted in full or in part on confirmation, voided on cancellation.
 */
@Entity({ name: 'exchanges' })
@Check(
  'CHK_exchanges_status',
  `"status" IN ('proposed', 'accepted', 'delivered', 'confirmed', 'cancelled', 'disputed', 'resolved', 'expired')`,
)
@Check('CHK_exchanges_parties', `"provider_id" <> "receiver_id"`)
@Check('CHK_exchanges_amounts', `"estimated_amount" > 0 AND ("actual_amount" IS NULL OR "actual_amount" >= 0)`)
@Check('CHK_exchanges_quantity', `"quantity" IS NULL OR "quantity" > 0`)
// Held from acceptance on; a cancelled one may or may not have been accepted.
@Check(
  'CHK_exchanges_held_once_accepted',
  `("status" = 'proposed' AND "hold_transfer_id" IS NULL) OR "status" = 'cancelled' OR ("status" NOT IN ('proposed', 'cancelled') AND "hold_transfer_id" IS NOT NULL)`,
)
@Index('IDX_exchanges_provider', ['providerId', 'id'])
@Index('IDX_exchanges_receiver', ['receiverId', 'id'])
@Index('IDX_exchanges_due', ['status', 'dueAt'])
export class ExchangeEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ name: 'listing_id', type: 'bigint', nullable: true })
  @ForeignKey(() => ListingEntity, { onDelete: 'RESTRICT' })
  listingId: string | null;

  /** The group it is one place of, for a group exchange; settled with the others of its group. */
  @Column({ name: 'group_id', type: 'bigint', nullable: true })
  @ForeignKey(() => ExchangeGroupEntity, { onDelete: 'RESTRICT' })
  @Index('IDX_exchanges_group')
  groupId: string | null;

  @Column({ name: 'proposer_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  proposerId: string;

  @Column({ name: 'provider_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  providerId: string;

  @Column({ name: 'provider_account_id', type: 'bigint' })
  @ForeignKey(() => AccountEntity, { onDelete: 'RESTRICT' })
  providerAccountId: string;

  @Column({ name: 'receiver_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  receiverId: string;

  @Column({ name: 'receiver_account_id', type: 'bigint' })
  @ForeignKey(() => AccountEntity, { onDelete: 'RESTRICT' })
  receiverAccountId: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description: string;

  @Column({ type: 'varchar', length: 16, default: 'proposed' })
  status: string;

  /** What the hold reserves, in minor units. */
  @Column({ name: 'estimated_amount', type: 'bigint', transformer: bigintTransformer })
  estimatedAmount: bigint;

  /** What the provider states on delivery. */
  @Column({ name: 'actual_amount', type: 'bigint', nullable: true, transformer: bigintTransformer })
  actualAmount: bigint | null;

  /** Goods: units reserved from the listing on acceptance. */
  @Column({ type: 'integer', nullable: true })
  quantity: number | null;

  @Column({ name: 'hold_transfer_id', type: 'bigint', nullable: true, unique: true })
  @ForeignKey(() => TransferEntity, { onDelete: 'RESTRICT' })
  holdTransferId: string | null;

  /** Accepted: when the hold lapses undelivered. Delivered: when it confirms itself. */
  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** Why it was cancelled, disputed, resolved or expired. */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
