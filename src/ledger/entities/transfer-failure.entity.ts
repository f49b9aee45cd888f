import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A key whose transfer was refused by the ledger's state (limits, frozen or closed accounts).
 * Kept so that a retry with the same key stays failed instead of succeeding later (TigerBeetle's
 * id_already_failed). Input that never reached the ledger leaves no row here.
 */
@Entity({ name: 'transfer_failures' })
export class TransferFailureEntity {
  /** The key's scope, as on transfers: a key fails only for the caller who used it. */
  @PrimaryColumn({
    name: 'idempotency_scope',
    type: 'varchar',
    length: 64,
    default: 'system',
    primaryKeyConstraintName: 'PK_transfer_failures_scoped_key',
  })
  idempotencyScope: string;

  @PrimaryColumn({
    name: 'idempotency_key',
    type: 'varchar',
    length: 128,
    primaryKeyConstraintName: 'PK_transfer_failures_scoped_key',
  })
  idempotencyKey: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
