import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { CommunityEntity } from '../../directory/community.entity.js';

@Entity({ name: 'currencies' })
@Unique('UQ_currencies_community_code', ['communityId', 'code'])
// Lets memberships reference (currency, community), so that a membership's account is in its community's currency.
@Unique('UQ_currencies_id_community', ['id', 'communityId'])
@Check('CHK_currencies_code_format', `"code" ~ '^[A-Z][A-Z0-9]{1,15}$'`)
@Check('CHK_currencies_minor_units', `"minor_units_per_unit" BETWEEN 1 AND 1000000`)
export class CurrencyEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'community_id', type: 'bigint' })
  communityId: string;

  @ManyToOne(() => CommunityEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'community_id' })
  community?: Relation<CommunityEntity>;

  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  symbol: string;

  /** 60 for an HOUR counted in minutes, 1 for MUN. */
  @Column({ name: 'minor_units_per_unit', type: 'integer' })
  minorUnitsPerUnit: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
