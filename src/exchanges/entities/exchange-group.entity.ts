import { Check, Column, CreateDateColumn, Entity, ForeignKey, PrimaryGeneratedColumn } from 'typeorm';
import { bigintTransformer } from '../../../libs/database/bigint.transformer.js';
import { CommunityEntity } from '../../directory/community.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';
import { ListingEntity } from '../../listings/entities/listing.entity.js';

/**
 * One provider and many receivers (a class, a shared repair day): an exchange per receiver, each
 * accepted with its own hold, settled together by the provider as one linked batch.
 */
@Entity({ name: 'exchange_groups' })
@Check('CHK_exchange_groups_estimate', `"estimated_amount" > 0`)
export class ExchangeGroupEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ name: 'listing_id', type: 'bigint', nullable: true })
  @ForeignKey(() => ListingEntity, { onDelete: 'RESTRICT' })
  listingId: string | null;

  @Column({ name: 'provider_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  providerId: string;

  @Column({ type: 'varchar', length: 2000, default: '' })
  description: string;

  /** Per receiver: what each hold reserves. */
  @Column({ name: 'estimated_amount', type: 'bigint', transformer: bigintTransformer })
  estimatedAmount: bigint;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
