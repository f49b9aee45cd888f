import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import { bigintTransformer } from '../../../libs/database/bigint.transformer.js';
import { AccountEntity } from './account.entity.js';
import { CurrencyEntity } from './currency.entity.js';

/** Append-only: triggers refuse UPDATE, DELETE and TRUNCATE (see the LedgerCore migration). */
@Entity({ name: 'transfers' })
@Index('IDX_transfers_debit_account', ['debitAccountId', 'id'])
@Index('IDX_transfers_credit_account', ['creditAccountId', 'id'])
@Index('IDX_transfers_currency', ['currencyId', 'id'])
@Check('CHK_transfers_amount_positive', `"amount" > 0`)
@Check('CHK_transfers_distinct_accounts', `"debit_account_id" <> "credit_account_id"`)
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128, unique: true })
  idempotencyKey: string;

  /** SHA-256 of the canonical request, so a replay with different contents is told apart. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  currencyId: string;

  @ManyToOne(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency?: Relation<CurrencyEntity>;

  @Column({ name: 'debit_account_id', type: 'bigint' })
  debitAccountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'debit_account_id', referencedColumnName: 'id' },
    { name: 'currency_id', referencedColumnName: 'currencyId' },
  ])
  debitAccount?: Relation<AccountEntity>;

  @Column({ name: 'credit_account_id', type: 'bigint' })
  creditAccountId: string;

  @ManyToOne(() => AccountEntity, { onDelete: 'RESTRICT' })
  @JoinColumn([
    { name: 'credit_account_id', referencedColumnName: 'id' },
    { name: 'currency_id', referencedColumnName: 'currencyId' },
  ])
  creditAccount?: Relation<AccountEntity>;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amount: bigint;

  /** What kind of movement this is, e.g. payment, starter_grant, correction. */
  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  memo: string;

  @Column({ type: 'jsonb', default: {} })
  metadata: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
