import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A key whose transfer was refused by the ledger's state (limits, frozen or closed accounts).
 * Kept so that a retry with the same key stays failed instead of succeeding later (TigerBeetle's
 * id_already_failed). Input that never reached the ledger leaves no row here.
 */
@Entity({ name: 'transfer_failures' })
export class TransferFailureEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'varchar', length: 128 })
  idempotencyKey: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
