import { Check, Column, Entity, ForeignKey, PrimaryColumn, Unique } from 'typeorm';
import { CurrencyEntity } from '../../ledger/entities/currency.entity.js';
import { TransferEntity } from '../../ledger/entities/transfer.entity.js';

/**
 * One link of a currency's hash chain: the transfer at this position, the hash of its entry (the
 * transfer and its postings, see `ledger_entry_text`) and the chain hash, which commits to every
 * earlier link. Written by the chainer, off the write path; append-only.
 *
 * Each posting enters the entry as a salted commitment, the salts drawn by the chainer: a member's
 * proof reveals their own posting's salt only, so it cannot be used to guess the other side's balance.
 */
@Entity({ name: 'ledger_chain' })
@Unique('UQ_ledger_chain_transfer', ['transferId'])
@Check('CHK_ledger_chain_position', `"position" > 0`)
@Check(
  'CHK_ledger_chain_hash_sizes',
  `length("entry_hash") = 32 AND length("chain_hash") = 32 AND length("salts") = 32`,
)
export class ChainEntryEntity {
  @PrimaryColumn({ name: 'currency_id', type: 'bigint' })
  @ForeignKey(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  currencyId: string;

  @PrimaryColumn({ type: 'bigint' })
  position: string;

  @Column({ name: 'transfer_id', type: 'bigint' })
  @ForeignKey(() => TransferEntity, { onDelete: 'RESTRICT' })
  transferId: string;

  /** 16 random bytes for the debit posting's commitment, then 16 for the credit's. */
  @Column({ type: 'bytea' })
  salts: Buffer;

  @Column({ name: 'entry_hash', type: 'bytea' })
  entryHash: Buffer;

  @Column({ name: 'chain_hash', type: 'bytea' })
  chainHash: Buffer;

  @Column({ name: 'chained_at', type: 'timestamptz', default: () => 'now()' })
  chainedAt: Date;
}
