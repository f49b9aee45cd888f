import { Global, Module } from '@nestjs/common';
import { PoolMetrics } from './database-metrics.js';
import { TransactionalConnection } from './transactional-connection.js';

/** Shared database helpers; the DataSource itself comes from TypeOrmModule.forRoot in the app module. */
@Global()
@Module({ providers: [TransactionalConnection, PoolMetrics], exports: [TransactionalConnection] })
export class DatabaseModule {}
