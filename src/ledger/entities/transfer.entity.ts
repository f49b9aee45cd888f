import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import type { Relation } from 'typeorm';
import { bigintTransformer } from '../../../libs/database/bigint.transformer.js';
import { AccountEntity } from './account.entity.js';
import { CurrencyEntity } from './currency.entity.js';

export type TransferKind = 'direct' | 'pending' | 'post_pending' | 'void_pending';

/** Append-only: triggers refuse UPDATE, DELETE and TRUNCATE (see the LedgerCore migration). */
@Entity({ name: 'transfers' })
@Index('IDX_transfers_debit_account', ['debitAccountId', 'id'])
@Index('IDX_transfers_credit_account', ['creditAccountId', 'id'])
@Index('IDX_transfers_currency', ['currencyId', 'id'])
@Check('CHK_transfers_amount_positive', `"amount" > 0`)
@Check('CHK_transfers_distinct_accounts', `"debit_account_id" <> "credit_account_id"`)
@Check('CHK_transfers_kind', `"kind" IN ('direct', 'pending', 'post_pending', 'void_pending')`)
@Check(
  'CHK_transfers_resolution_names_pending',
  `("pending_id" IS NOT NULL) = ("kind" IN ('post_pending', 'void_pending'))`,
)
@Check('CHK_transfers_timeout_only_on_pending', `"timeout_at" IS NULL OR "kind" = 'pending'`)
@Check(
  'CHK_transfers_forced_reversal_has_reason',
  `NOT "forced" OR ("reverses_id" IS NOT NULL AND length(trim("reason")) > 0)`,
)
@Check('CHK_transfers_reversal_is_direct', `"reverses_id" IS NULL OR "kind" = 'direct'`)
// Only the exchange workflow resolves an exchange's hold, so only the system places one (clients are refused RESERVED_CODE first).
@Check(
  'CHK_transfers_exchange_holds_are_the_systems',
  `"code" <> 'exchange_hold' OR "idempotency_scope" IN ('system', 'unscoped')`,
)
// Unique: a pending transfer resolves at most once, a transfer is reversed at most once. Partial:
// only the transfers that name one are indexed, so a direct payment writes no entry here.
@Index('UQ_transfers_pending_id', ['pendingId'], { unique: true, where: `"pending_id" IS NOT NULL` })
@Index('UQ_transfers_reverses_id', ['reversesId'], { unique: true, where: `"reverses_id" IS NOT NULL` })
// A key is unique within its caller's scope only: one client's key never meets another's.
@Unique('UQ_transfers_scoped_key', ['idempotencyScope', 'idempotencyKey'])
export class TransferEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** Whose key it is: 'system', 'member:<id>', or 'app:<id>/member:<id>' for a partner app acting for a member. */
  @Column({ name: 'idempotency_scope', type: 'varchar', length: 64, default: 'system' })
  idempotencyScope: string;

  @Column({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey: string;

  /** SHA-256 of the canonical request, so a replay with different contents is told apart. */
  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  currencyId: string;

  // No foreign key of its own: the account foreign keys below make it both accounts' currency.
  @ManyToOne(() => CurrencyEntity, { createForeignKeyConstraints: false })
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

  /**
   * direct: posted at once. pending: reserves funds (pending debits and credits, no postings).
   * post_pending and void_pending: the single resolution of the pending transfer `pendingId`.
   */
  @Column({ type: 'varchar', length: 16, default: 'direct' })
  kind: TransferKind;

  /** Unique (UQ_transfers_pending_id): a pending transfer resolves at most once, whatever races. */
  @Column({ name: 'pending_id', type: 'bigint', nullable: true })
  pendingId: string | null;

  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'pending_id' })
  pending?: Relation<TransferEntity>;

  /** When a pending transfer expires if still unresolved. */
  @Column({ name: 'timeout_at', type: 'timestamptz', nullable: true })
  timeoutAt: Date | null;

  /** Unique (UQ_transfers_reverses_id): a transfer is reversed at most once. */
  @Column({ name: 'reverses_id', type: 'bigint', nullable: true })
  reversesId: string | null;

  @ManyToOne(() => TransferEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'reverses_id' })
  reverses?: Relation<TransferEntity>;

  /** Why a reversal was made; required when it was forced past the accounts' limits. */
  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ type: 'boolean', default: false })
  forced: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
