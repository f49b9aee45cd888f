import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { gaugeFromQuery } from '../../libs/database/database-metrics.js';
import { Metrics } from '../../libs/observability/metrics.js';

/** How far the background jobs of integrity are behind, read at each scrape from single-row lookups. */
@Injectable()
export class IntegrityMetrics {
  constructor(metrics: Metrics, dataSource: DataSource) {
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_chain_lag_transfers',
      'Transfer ids handed out past the hash chain (approximate: ids of rolled-back transfers count too)',
      `SELECT (SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM transfers_id_seq) - chained_through AS value
       FROM ledger_chain_horizon WHERE id = 1`,
    );
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_checkpoint_age_seconds',
      'Seconds since the newest checkpoint of any currency (NaN before the first)',
      'SELECT extract(epoch FROM now() - created_at) AS value FROM ledger_checkpoints ORDER BY id DESC LIMIT 1',
    );
    gaugeFromQuery(
      metrics,
      dataSource,
      'pumasi_verification_failures_unacknowledged',
      'Failed verification runs that no manager has acknowledged yet',
      'SELECT count(*) AS value FROM verification_runs WHERE NOT passed AND acknowledged_at IS NULL',
    );
  }
}
