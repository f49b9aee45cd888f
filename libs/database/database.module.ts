import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { HeavyReads } from './bulkhead.js';
import { PoolMetrics } from './database-metrics.js';
import { TransactionalConnection } from './transactional-connection.js';

const heavyReads = {
  provide: HeavyReads,
  inject: [AppConfig],
  useFactory: ({ resilience }: AppConfig) =>
    new HeavyReads(
      {
        concurrency: resilience.heavyReadConcurrency,
        queue: resilience.heavyReadQueue,
        // A heavy read still waiting when its request has timed out would be work for nobody.
        waitMs: resilience.requestTimeoutMs,
      },
      'Too many reports are being prepared at once; retry shortly',
    ),
};

/** Shared database helpers; the DataSource itself comes from TypeOrmModule.forRoot in the app module. */
@Global()
@Module({
  providers: [TransactionalConnection, heavyReads, PoolMetrics],
  exports: [TransactionalConnection, HeavyReads],
})
export class DatabaseModule {}
