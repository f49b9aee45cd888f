import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '../../../libs/database/bigint.transformer.js';
import { AccountEntity } from './account.entity.js';
import { LedgerPeriodEntity } from './ledger-period.entity.js';

/** An account's balance at the end of a closed period, as the close found it. Append-only. */
@Entity({ name: 'ledger_period_balances' })
export class PeriodBalanceEntity {
  @PrimaryColumn({ name: 'period_id', type: 'bigint' })
  @ForeignKey(() => LedgerPeriodEntity, { onDelete: 'RESTRICT' })
  periodId: string;

  @PrimaryColumn({ name: 'account_id', type: 'bigint' })
  @ForeignKey(() => AccountEntity, { onDelete: 'RESTRICT' })
  accountId: string;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  balance: bigint;
}
