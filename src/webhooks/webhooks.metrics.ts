import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { gaugeFromQuery } from '../../libs/database/database-metrics.js';
import { Metrics } from '../../libs/observability/metrics.js';

/** Counting is capped, so that a scrape stays cheap however far behind deliveries fall. */
const BACKLOG_CAP = 100_000;

/** What happened to an attempt: a 2xx, a failure (error, timeout or other status), or an address the SSRF guard refused. */
export type DeliveryOutcome = 'succeeded' | 'failed' | 'refused';

/** Deliveries by outcome, counted as they happen, and the backlog, read at each scrape. */
@Injectable()
export class WebhookMetrics {
  readonly countAttempt: (outcome: DeliveryOutcome) => void;

  constructor(metrics: Metrics, dataSource: DataSource) {
    this.countAttempt = metrics.labelledCounter(
      'pumasi_webhook_attempts_total',
      'Webhook delivery attempts by outcome (succeeded, failed, refused by the SSRF guard)',
      'outcome',
    );
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_webhook_backlog_deliveries',
      `Webhook deliveries waiting, queued or retrying (counted up to ${BACKLOG_CAP})`,
      `SELECT count(*) AS value FROM (SELECT 1 FROM webhook_deliveries WHERE status = 'pending' LIMIT ${BACKLOG_CAP}) AS pending`,
    );
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_webhook_disabled_endpoints',
      'Webhook endpoints disabled for failing',
      `SELECT count(*) AS value FROM webhook_endpoints WHERE disabled_reason = 'failing'`,
    );
  }
}
