import { DataSource, DataSourceOptions } from 'typeorm';
import { RateLimitCounterEntity } from './access/entities/rate-limit-counter.entity.js';
import { AuditEntryEntity } from './audit/entities/audit-entry.entity.js';
import { VerificationRunEntity } from './integrity/entities/verification-run.entity.js';
import { DIRECTORY_ENTITIES } from './directory/index.js';
import { EVENT_ENTITIES } from './events/entities/index.js';
import { EXCHANGE_ENTITIES } from './exchanges/entities/index.js';
import { IDENTITY_ENTITIES } from './identity/entities/index.js';
import { INTEGRITY_ENTITIES } from './integrity/entities/index.js';
import { LEDGER_ENTITIES } from './ledger/entities/index.js';
import { LISTING_ENTITIES } from './listings/entities/index.js';
import { MEMBER_ENTITIES } from './members/entities/index.js';
import { OAUTH_ENTITIES } from './oauth/entities/index.js';
import { ReportExportEntity } from './reports/entities/report-export.entity.js';
import { WEBHOOK_ENTITIES } from './webhooks/entities/index.js';
import { MIGRATIONS } from '../migrations/index.js';
import { PreparingClient } from '../libs/database/prepared-statements.js';

/** The running service's limits on its connections; tools and migrations run without them. */
export interface ConnectionLimits {
  /** PostgreSQL's statement_timeout for every statement of the pool, unless a transaction sets its own (SET LOCAL). */
  statementTimeoutMs: number;
  /** How long to wait for a pooled connection, or for a new one to open. */
  acquireTimeoutMs: number;
}

/** PostgreSQL's startup option making every transaction of the connection READ COMMITTED unless it says otherwise. */
const READ_COMMITTED_BY_DEFAULT = '-c default_transaction_isolation=read\\ committed';

/** Every entity and migration of the service, listed by import (ESM has no reliable glob). */
export function dataSourceOptions(databaseUrl: string, poolSize = 10, limits?: ConnectionLimits): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [
      ...DIRECTORY_ENTITIES,
      ...LEDGER_ENTITIES,
      ...MEMBER_ENTITIES,
      ...IDENTITY_ENTITIES,
      AuditEntryEntity,
      VerificationRunEntity,
      ...LISTING_ENTITIES,
      ...EXCHANGE_ENTITIES,
      ...EVENT_ENTITIES,
      ...INTEGRITY_ENTITIES,
      ReportExportEntity,
      RateLimitCounterEntity,
      ...OAUTH_ENTITIES,
      ...WEBHOOK_ENTITIES,
    ],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: {
      max: poolSize,
      application_name: 'pumasi',
      // Runs the statements marked `prepared` (libs/database/prepared-statements.ts) by name.
      Client: PreparingClient,
      // Sent at connect: TransactionalConnection's transactions are READ COMMITTED by this default, so
      // that opening one is a single START TRANSACTION, not that and a SET TRANSACTION round trip.
      options: READ_COMMITTED_BY_DEFAULT,
      ...(limits && {
        // Sent at connect, so PostgreSQL itself cancels a statement (and rolls back its transaction) past the limit.
        statement_timeout: limits.statementTimeoutMs,
        connectionTimeoutMillis: limits.acquireTimeoutMs,
        // A database that vanished without closing the connection is noticed by the operating system, in time.
        keepAlive: true,
      }),
    },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize));
}
