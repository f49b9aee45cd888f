import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { gaugeFromQuery } from '../../libs/database/database-metrics.js';
import { Metrics } from '../../libs/observability/metrics.js';

/** Counting is capped, so that a scrape stays cheap however far behind publishing falls. */
const BACKLOG_CAP = 100_000;

/** The outbox's backlog, read at each scrape through its index of unpublished events. */
@Injectable()
export class OutboxMetrics {
  constructor(metrics: Metrics, dataSource: DataSource) {
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_outbox_backlog_events',
      `Events not yet published (counted up to ${BACKLOG_CAP})`,
      `SELECT count(*) AS value FROM (SELECT 1 FROM outbox_events WHERE published_at IS NULL LIMIT ${BACKLOG_CAP}) AS unpublished`,
    );
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_outbox_oldest_unpublished_age_seconds',
      'Age of the oldest event not yet published (0 when none waits)',
      `SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0) AS value
       FROM (SELECT created_at FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT 1) AS oldest`,
    );
  }
}
