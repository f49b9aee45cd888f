import { DataSource, DataSourceOptions } from 'typeorm';
import { LEDGER_ENTITIES } from './ledger/entities/index.js';
import { MIGRATIONS } from '../migrations/index.js';

/** Every entity and migration of the service, listed by import (ESM has no reliable glob). */
export function dataSourceOptions(databaseUrl: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: [...LEDGER_ENTITIES],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, application_name: 'pumasi' },
  };
}

export function createDataSource(databaseUrl: string, poolSize?: number): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, poolSize));
}
