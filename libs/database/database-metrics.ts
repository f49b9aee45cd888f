import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { Metrics } from '../observability/metrics.js';

/**
 * A gauge that one cheap query sets at each scrape: the query answers one row with a numeric
 * `value`, or no row (NaN: nothing to measure yet). Keep it to an index lookup or a bounded count.
 */
export function gaugeFromQuery(
  metrics: Metrics,
  dataSource: DataSource,
  name: string,
  help: string,
  sql: string,
): void {
  metrics.gaugeReadOnScrape(name, help, async () => {
    const [row] = await dataSource.query<{ value: string | number }[]>(sql);
    return row ? Number(row.value) : Number.NaN;
  });
}

/** The connection pool's state at each scrape: how many connections, idle ones, and requests waiting for one. */
@Injectable()
export class PoolMetrics {
  constructor(dataSource: DataSource, metrics: Metrics) {
    // TypeORM's PostgreSQL driver keeps its pg Pool as `master` once connected.
    const pool = (): Pool => (dataSource.driver as unknown as { master: Pool }).master;
    metrics.gaugeReadOnScrape(
      'pumasi_db_pool_connections',
      'Connections the pool holds, busy or idle',
      () => pool().totalCount,
    );
    metrics.gaugeReadOnScrape(
      'pumasi_db_pool_idle_connections',
      'Connections of the pool not in use',
      () => pool().idleCount,
    );
    metrics.gaugeReadOnScrape(
      'pumasi_db_pool_waiting_requests',
      'Queries waiting for a connection of the pool (above zero: the pool is the bottleneck)',
      () => pool().waitingCount,
    );
    metrics.gaugeReadOnScrape(
      'pumasi_db_pool_max_connections',
      'The pool size (DB_POOL_SIZE)',
      () => pool().options.max ?? Number.NaN,
    );
  }
}
