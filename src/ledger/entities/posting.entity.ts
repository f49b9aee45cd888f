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
import { TransferEntity } from './transfer.entity.js';

/**
 * One side of a transfer on one account: negative for a debit, positive for a credit.
 * `accountVersion` numbers an account's postings 1..n, and `balanceAfter` is the running balance.
 */
@Entity({ name: 'postings' })
@Unique('UQ_postings_account_version', ['accountId', 'accountVersion'])
// A transfer has at most one posting per account, so at most its two (it also finds a transfer's postings).
@Unique('UQ_postings_transfer_account', ['transferId', 'accountId'])
// Point-in-time balances: the last posting at or before an instant.
@Index('IDX_postings_account_time', ['accountId', 'createdAt'])
@Check('CHK_postings_amount_not_zero', `"amount" <> 0`)
@Check('CHK_postings_version_positive', `"account_version" > 0`)
export class PostingEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'transfer_id', type: 'bigint' })
  transferId: string;

  // No foreign keys on postings: the check over each statement's new postings (ledger_check_new_postings)
  // makes each one side of an existing transfer, on one of its accounts and in its currency.
  @ManyToOne(() => TransferEntity, { createForeignKeyConstraints: false })
  @JoinColumn({ name: 'transfer_id' })
  transfer?: Relation<TransferEntity>;

  @Column({ name: 'account_id', type: 'bigint' })
  accountId: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  currencyId: string;

  @ManyToOne(() => AccountEntity, { createForeignKeyConstraints: false })
  @JoinColumn([
    { name: 'account_id', referencedColumnName: 'id' },
    { name: 'currency_id', referencedColumnName: 'currencyId' },
  ])
  account?: Relation<AccountEntity>;

  @Column({ type: 'bigint', transformer: bigintTransformer })
  amount: bigint;

  @Column({ name: 'balance_after', type: 'bigint', transformer: bigintTransformer })
  balanceAfter: bigint;

  @Column({ name: 'account_version', type: 'bigint', transformer: bigintTransformer })
  accountVersion: bigint;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
