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
import { CommunityEntity } from '../../directory/community.entity.js';
import { MemberEntity } from '../../directory/member.entity.js';
import { ListingCategoryEntity } from './listing-category.entity.js';

/**
 * An offer or a request, for labour or for goods, priced in the community's currency. Search uses
 * two indexes the migration makes: words (any language the 'simple' parser splits) and trigrams of
 * the title and description (parts of words, which Korean needs: 수리 inside 수리해요).
 */
@Entity({ name: 'listings' })
@Check('CHK_listings_kind', `"kind" IN ('offer', 'request')`)
@Check('CHK_listings_nature', `"nature" IN ('service', 'goods')`)
@Check('CHK_listings_pricing', `"pricing" IN ('per_hour', 'fixed')`)
@Check('CHK_listings_status', `"status" IN ('active', 'paused', 'closed')`)
@Check('CHK_listings_price', `"price" >= 0`)
@Check(
  'CHK_listings_quantity',
  `("nature" = 'goods') = ("quantity" IS NOT NULL) AND ("quantity" IS NULL OR "quantity" >= 0)`,
)
@Index('IDX_listings_community', ['communityId', 'id'])
@Index('IDX_listings_search', { synchronize: false })
@Index('IDX_listings_title_trgm', { synchronize: false })
@Index('IDX_listings_description_trgm', { synchronize: false })
export class ListingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'community_id', type: 'bigint' })
  @ForeignKey(() => CommunityEntity, { onDelete: 'RESTRICT' })
  communityId: string;

  @Column({ name: 'member_id', type: 'bigint' })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  memberId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: string;

  @Column({ type: 'varchar', length: 16 })
  nature: string;

  @Column({ type: 'varchar', length: 120 })
  title: string;

  @Column({ type: 'varchar', length: 4000, default: '' })
  description: string;

  @Column({ name: 'category', type: 'varchar', length: 32 })
  @ForeignKey(() => ListingCategoryEntity, { onDelete: 'RESTRICT' })
  category: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags: string[];

  @Column({ type: 'varchar', length: 16 })
  pricing: string;

  /** In the community currency's minor units: per hour, or for the whole. */
  @Column({ type: 'bigint', transformer: bigintTransformer })
  price: bigint;

  /** Goods only: units still available. */
  @Column({ type: 'integer', nullable: true })
  quantity: number | null;

  @Column({ type: 'varchar', length: 100, default: '' })
  district: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  availability: string;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: string;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
