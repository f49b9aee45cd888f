import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Events written in the transaction of the change they announce, for subscriptions and webhooks
 * to publish later: none is lost if the process dies right after the commit.
 */
@Entity({ name: 'outbox_events' })
// Only a transfer's event waits for its payload, and only until it is published (events_publish fills it in).
@Check('CHK_outbox_events_payload', `"payload" IS NOT NULL OR ("position" IS NULL AND "aggregate_type" = 'transfer')`)
@Index('IDX_outbox_events_unpublished', ['id'], { where: `"published_at" IS NULL` })
@Index('IDX_outbox_events_position', ['position'], { unique: true, where: `"position" IS NOT NULL` })
@Index('IDX_outbox_events_community_position', ['communityId', 'position'], { where: `"position" IS NOT NULL` })
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

  /**
   * What happened. A transfer's event is written without it (and without its community and
   * members): the relay derives them from the transfer as it publishes the event.
   */
  @Column({ type: 'jsonb', nullable: true })
  payload: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  /** Stamped by the relay (events_publish) together with `position`. */
  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /**
   * The writing transaction (pg_current_xact_id(), as a bigint: TypeORM has no xid8 type, and the
   * chain's horizon keeps its transaction ids the same way). The relay publishes an event only
   * once every transaction below it has ended. The default is `pg_current_xact_id()::text::bigint`
   * (the migration); TypeORM compares defaults with their casts removed, hence this spelling.
   */
  @Column({ type: 'bigint', default: () => '((pg_current_xact_id()))' })
  xid: string;

  /** The publication order: strictly increasing, stamped by the relay; null until published. The feed reads by it. */
  @Column({ type: 'bigint', nullable: true })
  position: string | null;

  /** The members this event is about, who may see it besides the community's auditors (their accounts, exchanges, membership). */
  @Column({ name: 'member_ids', type: 'bigint', array: true, default: () => "'{}'" })
  memberIds: string[];

  /** Whether every active member of the community may see it (a checkpoint, a new listing), not only `memberIds`. */
  @Column({ name: 'community_visible', type: 'boolean', default: false })
  communityVisible: boolean;
}
