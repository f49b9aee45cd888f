import { Injectable } from '@nestjs/common';
import { returnedRows } from '../../libs/database/returned-rows.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { WebhookDeliveryStatus, WebhookDisabledReason } from './models/webhook-enums.js';
import { WebhookDelivery, WebhookEndpoint } from './models/webhook.models.js';

/** An endpoint with what only the server reads: its app's community and its signing secrets. */
export interface EndpointRow extends WebhookEndpoint {
  communityId: string;
}

/** An endpoint the fan-out is filling, with what decides which events it receives. */
export interface FanoutEndpoint {
  id: string;
  partnerAppId: string;
  communityId: string;
  scopes: string[];
  types: string[];
  afterPosition: bigint;
}

/** An event to queue for an endpoint: its position, type and the body every attempt sends. */
export interface QueuedEvent {
  position: string;
  type: string;
  body: string;
}

/** A delivery a worker has taken, with what sending it needs. */
export interface ClaimedDelivery {
  deliveryId: string;
  endpointId: string;
  partnerAppId: string;
  communityId: string;
  url: string;
  /** The secrets that sign it: the current one, and the previous one during its grace period. */
  secrets: string[];
  eventPosition: string;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** What one attempt got, as the log keeps it. */
export interface AttemptRecord {
  status: number | null;
  excerpt: string | null;
  error: string | null;
}

const ENDPOINT_COLUMNS = `e.id, e.partner_app_id, a.community_id, e.url, e.types, e.description, e.enabled, e.disabled_reason,
  e.failing_since, e.previous_secret_expires_at, e.created_at, e.updated_at`;

const DELIVERY_COLUMNS = `id, endpoint_id, event_position, event_type, body, status, attempts, next_attempt_at, last_attempt_at,
  response_status, response_excerpt, error, redelivery_of, created_at, delivered_at`;

/**
 * The endpoints whose next delivery is due and that no worker holds: `e` the endpoint, `a` its app,
 * `h` its oldest pending delivery (which goes first: one at a time per endpoint).
 */
const DUE_DELIVERIES = `FROM webhook_endpoints e JOIN partner_apps a ON a.id = e.partner_app_id
  CROSS JOIN LATERAL (
        SELECT d.id, d.next_attempt_at, d.event_position, d.body, d.attempts FROM webhook_deliveries d
         WHERE d.endpoint_id = e.id AND d.status = 'pending' ORDER BY d.id LIMIT 1) h
  WHERE e.enabled AND a.revoked_at IS NULL AND h.next_attempt_at <= now()
    AND (e.leased_until IS NULL OR e.leased_until <= now())`;

/** The endpoints `e` of live apps `a` that the fan-out has not yet filled up to `horizon` (SQL: a parameter or a subquery). */
const ENDPOINTS_BEHIND = (horizon: string): string =>
  `FROM webhook_endpoints e JOIN partner_apps a ON a.id = e.partner_app_id
  WHERE e.after_position < ${horizon} AND a.revoked_at IS NULL`;

function toEndpoint(row: Record<string, unknown>): EndpointRow {
  return {
    id: row.id as string,
    partnerAppId: row.partner_app_id as string,
    communityId: row.community_id as string,
    url: row.url as string,
    types: row.types as string[],
    description: row.description as string | null,
    enabled: row.enabled as boolean,
    disabledReason: row.disabled_reason as WebhookDisabledReason | null,
    failingSince: row.failing_since as Date | null,
    previousSecretExpiresAt: row.previous_secret_expires_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

function toDelivery(row: Record<string, unknown>): WebhookDelivery {
  return {
    id: row.id as string,
    endpointId: row.endpoint_id as string,
    eventId: row.event_position as string,
    eventPosition: row.event_position as string,
    eventType: row.event_type as string,
    body: JSON.parse(row.body as string) as Record<string, unknown>,
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts as number,
    nextAttemptAt: row.next_attempt_at as Date | null,
    lastAttemptAt: row.last_attempt_at as Date | null,
    responseStatus: row.response_status as number | null,
    responseExcerpt: row.response_excerpt as string | null,
    error: row.error as string | null,
    redeliveryOfId: row.redelivery_of as string | null,
    createdAt: row.created_at as Date,
    deliveredAt: row.delivered_at as Date | null,
  };
}

/** Endpoints, their deliveries, and the worker's queue over them. */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly db: TransactionalConnection) {}

  private async rows(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
    return returnedRows(await this.db.manager.query(sql, params));
  }

  /** Holds the app's row for the rest of the transaction, so that two requests cannot both take its last free endpoint. */
  async lockApp(partnerAppId: string): Promise<void> {
    await this.db.manager.query('SELECT 1 FROM partner_apps WHERE id = $1 FOR NO KEY UPDATE', [partnerAppId]);
  }

  async countEndpointsOf(partnerAppId: string): Promise<number> {
    const [row] = await this.rows('SELECT count(*)::int AS n FROM webhook_endpoints WHERE partner_app_id = $1', [
      partnerAppId,
    ]);
    return row.n as number;
  }

  /** A new endpoint receives the events published from now on: its place in the feed starts at the newest position. */
  async insertEndpoint(endpoint: {
    partnerAppId: string;
    url: string;
    types: string[];
    description: string | null;
    secret: string;
  }): Promise<EndpointRow> {
    const [{ id }] = await this.rows(
      `INSERT INTO webhook_endpoints (partner_app_id, url, types, description, secret, after_position)
       VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(position), 0) FROM outbox_events)) RETURNING id`,
      [endpoint.partnerAppId, endpoint.url, endpoint.types, endpoint.description, endpoint.secret],
    );
    return (await this.findEndpoint(id as string))!;
  }

  async findEndpoint(id: string): Promise<EndpointRow | null> {
    const [row] = await this.rows(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e JOIN partner_apps a ON a.id = e.partner_app_id WHERE e.id = $1`,
      [id],
    );
    return row ? toEndpoint(row) : null;
  }

  async endpointsOf(partnerAppId: string): Promise<EndpointRow[]> {
    const rows = await this.rows(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e JOIN partner_apps a ON a.id = e.partner_app_id
        WHERE e.partner_app_id = $1 ORDER BY e.id`,
      [partnerAppId],
    );
    return rows.map(toEndpoint);
  }

  /** Enabling forgets past failures; disabling records that its owner did it. */
  async updateEndpoint(
    id: string,
    changes: { url?: string; types?: string[]; description?: string; enabled?: boolean },
  ): Promise<void> {
    const params: unknown[] = [id];
    const sets = ['updated_at = now()'];
    if (changes.url !== undefined) sets.push(`url = $${params.push(changes.url)}`);
    if (changes.types !== undefined) sets.push(`types = $${params.push(changes.types)}`);
    if (changes.description !== undefined) sets.push(`description = $${params.push(changes.description)}`);
    if (changes.enabled === true) sets.push('enabled = true, disabled_reason = NULL, failing_since = NULL');
    if (changes.enabled === false) sets.push(`enabled = false, disabled_reason = coalesce(disabled_reason, 'owner')`);
    await this.db.manager.query(`UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  /** The old secret keeps signing beside the new one for `graceSeconds`; one older than that is dropped. */
  async rotateSecret(id: string, secret: string, graceSeconds: number): Promise<void> {
    await this.db.manager.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
              previous_secret_expires_at = now() + $3 * interval '1 second', updated_at = now()
        WHERE id = $1`,
      [id, secret, graceSeconds],
    );
  }

  async deleteEndpoint(id: string): Promise<void> {
    await this.db.manager.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
  }

  async findDelivery(id: string): Promise<WebhookDelivery | null> {
    const [row] = await this.rows(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE id = $1`, [id]);
    return row ? toDelivery(row) : null;
  }

  /** An endpoint's deliveries before `beforeId` (newest first), of one status if asked. */
  async deliveriesPage(filter: {
    endpointId: string;
    status?: WebhookDeliveryStatus;
    beforeId?: bigint;
    limit: number;
  }): Promise<WebhookDelivery[]> {
    const params: unknown[] = [filter.endpointId];
    let where = 'endpoint_id = $1';
    if (filter.status) where += ` AND status = $${params.push(filter.status)}`;
    if (filter.beforeId !== undefined) where += ` AND id < $${params.push(filter.beforeId.toString())}`;
    const rows = await this.rows(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where} ORDER BY id DESC LIMIT $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toDelivery);
  }

  /** The same event again, queued behind what the endpoint already waits for. */
  async insertRedelivery(deliveryId: string): Promise<WebhookDelivery> {
    const [row] = await this.rows(
      `INSERT INTO webhook_deliveries (endpoint_id, event_position, event_type, body, redelivery_of)
       SELECT endpoint_id, event_position, event_type, body, id FROM webhook_deliveries WHERE id = $1
       RETURNING ${DELIVERY_COLUMNS}`,
      [deliveryId],
    );
    return toDelivery(row);
  }

  /** The newest published position: everything up to it is published (positions are handed out gapless, in order). */
  async publishedHorizon(): Promise<bigint> {
    const [row] = await this.rows('SELECT coalesce(max(position), 0)::text AS horizon FROM outbox_events');
    return BigInt(row.horizon as string);
  }

  /** Whether an endpoint of a live app is behind the published events (as lockEndpointsBehind would find it, unlocked): one read, in no transaction. */
  async anyEndpointBehind(): Promise<boolean> {
    const [row] = await this.rows(
      `SELECT EXISTS (SELECT 1 ${ENDPOINTS_BEHIND('(SELECT coalesce(max(position), 0) FROM outbox_events)')}) AS behind`,
    );
    return row.behind as boolean;
  }

  /** Up to `limit` endpoints of live apps behind `horizon`, locked for this transaction (SKIP LOCKED: other replicas take others). */
  async lockEndpointsBehind(horizon: bigint, limit: number): Promise<FanoutEndpoint[]> {
    const rows = await this.rows(
      `SELECT e.id, e.partner_app_id, a.community_id, a.scopes, e.types, e.after_position::text
         ${ENDPOINTS_BEHIND('$1')}
        ORDER BY e.id LIMIT $2 FOR UPDATE OF e SKIP LOCKED`,
      [horizon.toString(), limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      partnerAppId: row.partner_app_id as string,
      communityId: row.community_id as string,
      scopes: row.scopes as string[],
      types: row.types as string[],
      afterPosition: BigInt(row.after_position as string),
    }));
  }

  /** The members who let the app act for them, now. */
  async consentingMembers(partnerAppId: string): Promise<string[]> {
    const rows = await this.rows(
      'SELECT member_id FROM partner_consents WHERE partner_app_id = $1 AND revoked_at IS NULL ORDER BY member_id',
      [partnerAppId],
    );
    return rows.map((row) => row.member_id as string);
  }

  /** Queues the events (once each: a repeated fan-out adds nothing) and moves the endpoint's place in the feed. */
  async queueDeliveries(endpointId: string, events: QueuedEvent[], afterPosition: bigint): Promise<void> {
    if (events.length > 0)
      await this.db.manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_position, event_type, body)
         SELECT $1, position, type, body FROM unnest($2::bigint[], $3::text[], $4::text[]) AS e(position, type, body)
         ON CONFLICT (endpoint_id, event_position) WHERE redelivery_of IS NULL DO NOTHING`,
        [endpointId, events.map((e) => e.position), events.map((e) => e.type), events.map((e) => e.body)],
      );
    await this.db.manager.query('UPDATE webhook_endpoints SET after_position = $2 WHERE id = $1', [
      endpointId,
      afterPosition.toString(),
    ]);
  }

  /**
   * Takes an endpoint whose oldest pending delivery is due, and leases it for `leaseMs`: its next
   * delivery is sent by this worker alone, and only after the one before it is done (one in flight
   * per endpoint, in order). A worker that dies lets the lease run out. Null when none is due.
   * Must run in a transaction: the endpoint's row lock, taken by the lease, is what makes the check
   * that the delivery is still the one due true until the transaction ends.
   */
  async claimDue(leaseMs: number): Promise<ClaimedDelivery | null> {
    const claimed = await this.leaseDue(leaseMs);
    if (!claimed || (await this.stillNext(claimed))) return claimed;
    await this.db.manager.query('UPDATE webhook_endpoints SET leased_until = NULL WHERE id = $1', [claimed.endpointId]);
    return null;
  }

  /**
   * Whether the claimed delivery is still the endpoint's oldest pending one. The claim chose it by
   * its statement's snapshot, and locked the endpoint's newest row: if, in between, another worker
   * sent that delivery (and the ones after it) and released the lease, the lock succeeds with a
   * delivery already sent. This statement's snapshot is newer than the lock, so it sees that.
   */
  private async stillNext({ endpointId, deliveryId }: ClaimedDelivery): Promise<boolean> {
    const [next] = await this.rows(
      `SELECT d.id FROM webhook_deliveries d WHERE d.endpoint_id = $1 AND d.status = 'pending' ORDER BY d.id LIMIT 1`,
      [endpointId],
    );
    return next?.id === deliveryId;
  }

  /** Whether some endpoint's next delivery is due (as claimDue would take it, unlocked): one read, in no transaction. */
  async anyDue(): Promise<boolean> {
    const [row] = await this.rows(`SELECT EXISTS (SELECT 1 ${DUE_DELIVERIES}) AS due`);
    return row.due as boolean;
  }

  private async leaseDue(leaseMs: number): Promise<ClaimedDelivery | null> {
    const [row] = await this.rows(
      `WITH due AS (
         SELECT e.id AS endpoint_id, h.id AS delivery_id, h.event_position, h.body, h.attempts, a.community_id, e.partner_app_id
         ${DUE_DELIVERIES}
          ORDER BY h.next_attempt_at LIMIT 1 FOR UPDATE OF e SKIP LOCKED
       )
       UPDATE webhook_endpoints e SET leased_until = now() + $1 * interval '1 millisecond' FROM due
        WHERE e.id = due.endpoint_id
       RETURNING due.delivery_id, due.endpoint_id, due.partner_app_id, due.community_id, e.url, due.event_position, due.body, due.attempts,
                 array_remove(ARRAY[e.secret, CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END], NULL) AS secrets`,
      [leaseMs],
    );
    return row
      ? {
          deliveryId: row.delivery_id as string,
          endpointId: row.endpoint_id as string,
          partnerAppId: row.partner_app_id as string,
          communityId: row.community_id as string,
          url: row.url as string,
          secrets: row.secrets as string[],
          eventPosition: row.event_position as string,
          body: row.body as string,
          attempts: row.attempts as number,
        }
      : null;
  }

  /** Records an attempt; `retryInMs` null means it succeeded. */
  private async recordAttempt(deliveryId: string, attempt: AttemptRecord, retryInMs: number | null): Promise<void> {
    await this.db.manager.query(
      `UPDATE webhook_deliveries
          SET attempts = attempts + 1, last_attempt_at = now(), response_status = $2, response_excerpt = $3, error = $4,
              status = CASE WHEN $5::float8 IS NULL THEN 'succeeded' ELSE status END,
              delivered_at = CASE WHEN $5::float8 IS NULL THEN now() END,
              next_attempt_at = now() + $5::float8 * interval '1 millisecond'
        WHERE id = $1`,
      [
        deliveryId,
        attempt.status,
        attempt.excerpt?.slice(0, 200) ?? null,
        attempt.error?.slice(0, 200) ?? null,
        retryInMs,
      ],
    );
  }

  async recordSuccess(deliveryId: string, endpointId: string, attempt: AttemptRecord): Promise<void> {
    await this.recordAttempt(deliveryId, attempt, null);
    await this.db.manager.query(
      'UPDATE webhook_endpoints SET leased_until = NULL, failing_since = NULL WHERE id = $1',
      [endpointId],
    );
  }

  /**
   * Records a failed attempt, to be retried in `retryInMs`; answers whether the endpoint has now
   * been failing for `disableAfterSeconds` while still enabled (the caller then disables it).
   */
  async recordFailure(
    deliveryId: string,
    endpointId: string,
    attempt: AttemptRecord,
    retryInMs: number,
    disableAfterSeconds: number,
  ): Promise<boolean> {
    await this.recordAttempt(deliveryId, attempt, retryInMs);
    const [row] = await this.rows(
      `UPDATE webhook_endpoints SET leased_until = NULL, failing_since = coalesce(failing_since, now()) WHERE id = $1
       RETURNING enabled AND failing_since <= now() - $2 * interval '1 second' AS expired`,
      [endpointId, disableAfterSeconds],
    );
    // No row: the endpoint was deleted while the attempt was under way.
    return row?.expired === true;
  }

  /** Disabled for failing: the delivery it was stuck on is given up; the rest wait for it to be enabled again. */
  async disableFailing(endpointId: string, deliveryId: string): Promise<void> {
    await this.db.manager.query(
      `UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'failing', updated_at = now() WHERE id = $1`,
      [endpointId],
    );
    await this.db.manager.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL WHERE id = $1`,
      [deliveryId],
    );
  }
}
