import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Events written in the transaction of the change they announce, for subscriptions and webhooks
 * to publish later: none is lost if the process dies right after the commit.
 */
@Entity({ name: 'outbox_events' })
@Index('IDX_outbox_events_unpublished', ['id'], { where: `"published_at" IS NULL` })
export class OutboxEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** For example exchange.accepted. */
  @Column({ type: 'varchar', length: 64 })
  topic: string;

  @Column({ name: 'aggregate_type', type: 'varchar', length: 32 })
  aggregateType: string;

  @Column({ name: 'aggregate_id', type: 'varchar', length: 64 })
  aggregateId: string;

  @Column({ name: 'community_id', type: 'bigint', nullable: true })
  communityId: string | null;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;
}
