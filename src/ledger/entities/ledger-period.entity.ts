import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { MemberEntity } from '../../directory/member.entity.js';
import { CurrencyEntity } from './currency.entity.js';

/**
 * A closed period of a currency: everything up to `closedThrough` is final. No transfer may be
 * dated inside it (a trigger refuses one); corrections are posted in the open period and refer
 * back, as reversals do. Append-only, with the balances it closed on in `ledger_period_balances`.
 */
@Entity({ name: 'ledger_periods' })
@Index('IDX_ledger_periods_currency_through', ['currencyId', 'closedThrough'], { unique: true })
export class LedgerPeriodEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  @ForeignKey(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  currencyId: string;

  @Column({ name: 'closed_through', type: 'timestamptz' })
  closedThrough: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', default: () => 'now()' })
  closedAt: Date;

  @Column({ name: 'closed_by', type: 'bigint', nullable: true })
  @ForeignKey(() => MemberEntity, { onDelete: 'RESTRICT' })
  closedBy: string | null;

  @Column({ type: 'varchar', length: 500 })
  note: string;
}
