import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ForeignKey,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';
import { PartnerAppEntity } from '../../directory/partner-app.entity.js';

/**
 * Where a partner app wants its events: a URL, the types it wants, and the secret its deliveries
 * are signed with. The secret is kept as it is (not digested, unlike API keys): signing needs it.
 */
@Entity({ name: 'webhook_endpoints' })
@Index('IDX_webhook_endpoints_partner_app', ['partnerAppId'])
@Check('CHK_webhook_endpoints_types', `cardinality("types") > 0`)
@Check('CHK_webhook_endpoints_disabled_reason', `"disabled_reason" IN ('failing', 'owner')`)
export class WebhookEndpointEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  /** The app that owns the endpoint and whose view of the events it receives; its endpoints go with it. */
  @Column({ name: 'partner_app_id', type: 'bigint' })
  @ForeignKey(() => PartnerAppEntity, { onDelete: 'CASCADE' })
  partnerAppId: string;

  @Column({ type: 'varchar', length: 2048 })
  url: string;

  /** Event types it receives (event-types.ts names them). */
  @Column({ type: 'text', array: true })
  types: string[];

  @Column({ type: 'varchar', length: 200, nullable: true })
  description: string | null;

  /** `whsec_` and the base64 of 32 random bytes (Standard Webhooks). */
  @Column({ type: 'varchar', length: 100 })
  secret: string;

  /** The secret before the last rotation, still signing beside the new one until `previousSecretExpiresAt`. */
  @Column({ name: 'previous_secret', type: 'varchar', length: 100, nullable: true })
  previousSecret: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt: Date | null;

  @Column({ type: 'boolean', default: true })
  enabled: boolean;

  /** Why it is disabled: `failing` (by the worker, after failing too long) or `owner`; null while enabled. */
  @Column({ name: 'disabled_reason', type: 'varchar', length: 16, nullable: true })
  disabledReason: string | null;

  /** The fan-out's place in the event feed: events up to this position were queued for it (or were not its to see). */
  @Column({ name: 'after_position', type: 'bigint' })
  afterPosition: string;

  /** When the current run of failed attempts began; null after a success. */
  @Column({ name: 'failing_since', type: 'timestamptz', nullable: true })
  failingSince: Date | null;

  /** A worker holds the endpoint until then, sending its next delivery: one in flight per endpoint, across replicas. */
  @Column({ name: 'leased_until', type: 'timestamptz', nullable: true })
  leasedUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
