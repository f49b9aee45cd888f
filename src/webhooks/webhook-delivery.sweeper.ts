import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { AppConfig, WebhookSettings } from '../../libs/config/app-config.js';
import { PeriodicSweep } from '../../libs/database/periodic-sweep.js';
import { TransactionalConnection } from '../../libs/database/transactional-connection.js';
import { ANONYMOUS } from '../access/actor.js';
import { AuditLogService } from '../audit/audit-log.service.js';
import { OutboxService } from '../events/outbox.service.js';
import { webhookId } from './webhook-envelope.js';
import { AttemptResult, isSuccess, sendWebhook } from './webhook-sender.js';
import { webhookSignatureHeader } from './webhook-signature.js';
import { resolveTarget, TargetRefused } from './webhook-target.js';
import { DeliveryOutcome, WebhookMetrics } from './webhooks.metrics.js';
import { ClaimedDelivery, WebhooksRepository } from './webhooks.repository.js';

/** A lease outlives the longest attempt by this much, so that only a dead worker's lease runs out. */
const LEASE_MARGIN_MS = 30_000;

/**
 * The delay before attempt `attempt + 1`: the base doubled per attempt made, up to the maximum,
 * then "equal jitter" (half fixed, half random), so that endpoints failing together do not retry
 * together.
 */
export function retryDelayMs(attempt: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>): number {
  const exponential = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.min(attempt - 1, 30));
  return exponential / 2 + Math.random() * (exponential / 2);
}

/**
 * The webhook worker: sends each endpoint's oldest pending delivery, one at a time per endpoint
 * and at most WEBHOOK_CONCURRENCY at once per replica, never on a request's path. At least once: an
 * attempt is recorded after it ends, so a worker that dies mid-attempt leaves it to be sent again.
 */
@Injectable()
export class WebhookDeliverySweeper extends PeriodicSweep implements OnModuleDestroy {
  private readonly settings: WebhookSettings;
  private stopping = false;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly db: TransactionalConnection,
    private readonly outbox: OutboxService,
    private readonly audit: AuditLogService,
    private readonly metrics: WebhookMetrics,
    config: AppConfig,
  ) {
    super({ everyMs: 250, batch: config.webhooks.concurrency });
    this.settings = config.webhooks;
  }

  override async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await super.onModuleDestroy();
  }

  /**
   * `limit` senders side by side, each taking one due delivery after another until none is due (or
   * the application stops): a slow endpoint holds one sender for up to WEBHOOK_TIMEOUT_MS, not the
   * others. The others start only once one delivery was due, and the claim's transaction only once
   * one looked due, so that an idle tick costs one query (four times a second, on every replica).
   */
  protected async sweepBatch(limit: number): Promise<number> {
    if (!(await this.repository.anyDue())) return 0;
    const first = await this.claim();
    if (!first) return 0;
    const others = Array.from({ length: limit - 1 }, () => this.sendWhileDue(null));
    const sent = await Promise.all([this.sendWhileDue(first), ...others]);
    return sent.reduce((total, count) => total + count, 0);
  }

  /** Sends `first` (or the next due delivery), then whatever is due next, until nothing is; how many it sent. */
  private async sendWhileDue(first: ClaimedDelivery | null): Promise<number> {
    let sent = 0;
    for (let delivery = first ?? (await this.claim()); delivery; delivery = await this.claim()) {
      await this.deliver(delivery);
      sent++;
    }
    return sent;
  }

  private async claim(): Promise<ClaimedDelivery | null> {
    if (this.stopping) return null;
    const leaseMs = this.settings.timeoutMs + LEASE_MARGIN_MS;
    return this.db.jobTransaction(() => this.repository.claimDue(leaseMs));
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { result, outcome } = await this.attempt(delivery);
    this.metrics.countAttempt(outcome);
    await this.db.jobTransaction(async () => {
      if (outcome === 'succeeded')
        return this.repository.recordSuccess(delivery.deliveryId, delivery.endpointId, result);
      const retryIn = retryDelayMs(delivery.attempts + 1, this.settings);
      const expired = await this.repository.recordFailure(
        delivery.deliveryId,
        delivery.endpointId,
        result,
        retryIn,
        this.settings.disableAfterSeconds,
      );
      if (expired) await this.disable(delivery, result);
    });
  }

  /** One signed POST, to an address the SSRF guard checked just now. */
  private async attempt(delivery: ClaimedDelivery): Promise<{ result: AttemptResult; outcome: DeliveryOutcome }> {
    const id = webhookId(delivery.eventPosition);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignatureHeader(delivery.secrets, id, timestamp, delivery.body),
    };
    try {
      const target = await resolveTarget(delivery.url, this.settings.allowPrivateTargets);
      const result = await sendWebhook(target, headers, delivery.body, this.settings.timeoutMs);
      return { result, outcome: isSuccess(result) ? 'succeeded' : 'failed' };
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      return {
        result: { status: null, excerpt: null, error: `URL_NOT_ALLOWED: ${error.message}` },
        outcome: 'refused',
      };
    }
  }

  /** Failing for too long: disabled, and its owner told, by an event their feed shows and an audit entry. */
  private async disable(delivery: ClaimedDelivery, result: AttemptResult): Promise<void> {
    await this.repository.disableFailing(delivery.endpointId, delivery.deliveryId);
    const lastFailure = result.error ?? `HTTP ${result.status}`;
    await this.outbox.append({
      topic: 'webhook.endpoint_disabled',
      aggregateType: 'webhook_endpoint',
      aggregateId: delivery.endpointId,
      communityId: delivery.communityId,
      payload: { id: delivery.endpointId, partnerAppId: delivery.partnerAppId, url: delivery.url, lastFailure },
    });
    await this.audit.record(ANONYMOUS, {
      as: 'system',
      action: 'webhook_endpoint.disable',
      communityId: delivery.communityId,
      targetType: 'webhook_endpoint',
      targetId: delivery.endpointId,
      reason: `Deliveries failed for ${this.settings.disableAfterSeconds} seconds without a success`,
      details: { partnerAppId: delivery.partnerAppId, url: delivery.url, deliveryId: delivery.deliveryId, lastFailure },
    });
  }
}
