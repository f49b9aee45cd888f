import { Check, Column, Entity, ForeignKey, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { CurrencyEntity } from '../../ledger/entities/currency.entity.js';

/**
 * A signed-off point of a currency's chain: the chain hash at `position`, the Merkle root of the
 * entries since the previous checkpoint, and a checkpoint hash that commits to the previous
 * checkpoint's. A member who keeps one checkpoint hash can check any proof against it. Append-only.
 */
@Entity({ name: 'ledger_checkpoints' })
@Unique('UQ_ledger_checkpoints_sequence', ['currencyId', 'sequence'])
@Check('CHK_ledger_checkpoints_range', `"sequence" > 0 AND "from_position" >= 0 AND "position" > "from_position"`)
@Check(
  'CHK_ledger_checkpoints_hash_sizes',
  `length("chain_hash") = 32 AND length("merkle_root") = 32 AND length("previous_hash") = 32 AND length("checkpoint_hash") = 32`,
)
export class CheckpointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'currency_id', type: 'bigint' })
  @ForeignKey(() => CurrencyEntity, { onDelete: 'RESTRICT' })
  currencyId: string;

  /** 1, 2, 3… within the currency. */
  @Column({ type: 'bigint' })
  sequence: string;

  /** The entries this checkpoint covers are the positions after `fromPosition`, through `position`. */
  @Column({ name: 'from_position', type: 'bigint' })
  fromPosition: string;

  @Column({ type: 'bigint' })
  position: string;

  @Column({ name: 'chain_hash', type: 'bytea' })
  chainHash: Buffer;

  @Column({ name: 'merkle_root', type: 'bytea' })
  merkleRoot: Buffer;

  @Column({ name: 'previous_hash', type: 'bytea' })
  previousHash: Buffer;

  @Column({ name: 'checkpoint_hash', type: 'bytea' })
  checkpointHash: Buffer;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt: Date;
}
