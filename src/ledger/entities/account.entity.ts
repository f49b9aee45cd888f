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
import { CurrencyEntity } from './currency.entity.js';

export const ACCOUNT_KINDS = ['member', 'issuance', 'pool'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export const ACCOUNT_STATUSES = ['open', 'frozen', 'closed'] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * Balances are credit-normal: balance = posted credits - posted debits, so a member who is paid
 * goes up, and the issuance account that pays starter grants goes negative.
 * The limit checks below are the database's own guard: no code path can leave an account outside them.
 */
@Entity({ name: 'accounts' })
// Lets transfers and postings reference (account, currency) so that both sides share one currency.
@Unique('UQ_accounts_id_currency', ['id', 'currencyId'])
@Index('UQ_accounts_one_system_account_per_kind', ['currencyId', 'kind'], { unique: true, where: `"kind" <> 'member'` })
@Check('CHK_accounts_kind', `"kind" IN ('member', 'issuance', 'pool')`)
@Check('CHK_accounts_status', `"status" IN ('open', 'frozen', 'closed')`)
@Check(
  'CHK_accounts_totals_not_negative',
  `"posted_debits" >= 0 AND "posted_credits" >= 0 AND "pending_debits" >= 0 AND "pending_credits" >= 0 AND "version" >= 0`,
)
@Check(
  'CHK_accounts_limits_ordered',
  `"lower_limit" IS NULL OR "upper_limit" IS NULL OR "lower_limit" <= "upper_limit"`,
)
@Check(
  'CHK_accounts_within_lower_limit',
  `"lower_limit" IS NULL OR "posted_credits" - "posted_debits" - "pending_debits" >= "lower_limit"`,
)
@Check(
  'CHK_accounts_within_upper_limit',
  `"upper_limit" IS NULL OR "posted_credits" + "pending_credits" - "posted_debits" <= "upper_limit"`,
)
// Every total, balance and limit within ±(2^53−1), what clients hold exactly; ledger_transfer_refusal refuses first, with a code.
@Check(
  'CHK_accounts_within_safe_range',
  `"posted_debits" <= 9007199254740991 AND "posted_credits" <= 9007199254740991 AND "pending_debits" <= 9007199254740991 AND "pending_credits" <= 9007199254740991 AND "posted_credits" - "posted_debits" - "pending_debits" >= -9007199254740991 AND "posted_credits" + "pending_credits" - "posted_debits" <= 9007199254740991 AND ("lower_limit" IS NULL OR "lower_limit" >= -9007199254740991) AND ("upper_limit" IS NULL OR "upper_limit" <= 9007199254740991)`,
)
export class AccountEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  currencyId: string;

  @ManyToOne(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'currency_id' })
  currency?: Relation<CurrencyEntity>;

  @Column({ type: 'varchar', length: 16 })
  kind: AccountKind;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16, default: 'open' })
  status: AccountStatus;

  @Column({ name: 'posted_debits', type: 'bigint', default: 0, transformer: bigintTransformer })
  postedDebits: bigint;

  @Column({ name: 'posted_credits', type: 'bigint', default: 0, transformer: bigintTransformer })
  postedCredits: bigint;

  @Column({ name: 'pending_debits', type: 'bigint', default: 0, transformer: bigintTransformer })
  pendingDebits: bigint;

  @Column({ name: 'pending_credits', type: 'bigint', default: 0, transformer: bigintTransformer })
  pendingCredits: bigint;

  /** Null means unbounded below (the issuance account creates money by going negative). */
  @Column({ name: 'lower_limit', type: 'bigint', nullable: true, transformer: bigintTransformer })
  lowerLimit: bigint | null;

  /** Null means no cap. */
  @Column({ name: 'upper_limit', type: 'bigint', nullable: true, transformer: bigintTransformer })
  upperLimit: bigint | null;

  /** The number of postings written to this account; each posting carries the version it produced. */
  @Column({ type: 'bigint', default: 0, transformer: bigintTransformer })
  version: bigint;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
