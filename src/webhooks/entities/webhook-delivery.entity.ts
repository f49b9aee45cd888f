import { Check, Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import { WebhookEndpointEntity } from './webhook-endpoint.entity.js';

/**
 * One event to send to one endpoint, and what became of it: the delivery log and the worker's
 * queue in one row. An endpoint's deliveries go out in id order, one at a time; the fan-out
 * queues them in event position order, a redelivery after whatever is queued when it is asked.
 */
@Entity({ name: 'webhook_deliveries' })
@Index('IDX_webhook_deliveries_endpoint', ['endpointId', 'id'])
@Index('IDX_webhook_deliveries_pending', ['endpointId', 'id'], { where: `"status" = 'pending'` })
@Index('UQ_webhook_deliveries_event', ['endpointId', 'eventPosition'], {
  unique: true,
  where: `"redelivery_of" IS NULL`,
})
@Check('CHK_webhook_deliveries_status', `"status" IN ('pending', 'succeeded', 'failed')`)
export class WebhookDeliveryEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'endpoint_id', type: 'bigint' })
  @ForeignKey(() => WebhookEndpointEntity, { onDelete: 'CASCADE' })
  endpointId: string;

  /** The event's position in the feed; its global id is the `webhook-id` header. */
  @Column({ name: 'event_position', type: 'bigint' })
  eventPosition: string;

  @Column({ name: 'event_type', type: 'varchar', length: 64 })
  eventType: string;

  /** The envelope exactly as sent, so that every attempt signs the same bytes. */
  @Column({ type: 'text' })
  body: string;

  /** pending (queued or retrying), succeeded (a 2xx answer), failed (given up when the endpoint was disabled). */
  @Column({ type: 'varchar', length: 16, default: 'pending' })
  status: string;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** When a pending delivery may next be tried; null once it is done. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true, default: () => 'now()' })
  nextAttemptAt: Date | null;

  @Column({ name: 'last_attempt_at', type: 'timestamptz', nullable: true })
  lastAttemptAt: Date | null;

  /** The HTTP status of the last attempt; null when there was no answer. */
  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  /** The start of the last answer's body, no more (it may hold anything). */
  @Column({ name: 'response_excerpt', type: 'varchar', length: 200, nullable: true })
  responseExcerpt: string | null;

  /** Why the last attempt failed without an answer (timeout, refused address, connection error). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  error: string | null;

  /** The delivery this one repeats, when the owner asked for it again. */
  @Column({ name: 'redelivery_of', type: 'bigint', nullable: true })
  @ForeignKey(() => WebhookDeliveryEntity, { onDelete: 'CASCADE' })
  redeliveryOf: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'delivered_at', type: 'timestamptz', nullable: true })
  deliveredAt: Date | null;
}
