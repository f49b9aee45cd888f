import { Check, Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { CurrencyEntity } from '../../ledger/entities/currency.entity.js';

/** Where each currency's chain ends: its last position and chain hash, so that the chainer need not search. */
@Entity({ name: 'ledger_chain_heads' })
@Check('CHK_ledger_chain_heads_position', `"position" >= 0 AND length("chain_hash") = 32`)
export class ChainHeadEntity {
  @PrimaryColumn({ name: 'currency_id', type: 'bigint' })
  @ForeignKey(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  currencyId: string;

  @Column({ type: 'bigint' })
  position: string;

  @Column({ name: 'chain_hash', type: 'bytea' })
  chainHash: Buffer;
}
