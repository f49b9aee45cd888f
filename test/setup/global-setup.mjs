// Jest loads global setup as CommonJS, outside ts-jest's ESM pipeline, so this file uses the
// compiled code that `npm start` runs (`npm test` builds it first).
import 'reflect-metadata';
import { resolve } from 'node:path';
import { EmbeddedPostgres } from '../../dist/libs/database/embedded-postgres.js';
import { runMigrations } from '../../dist/libs/database/migrate.js';
import { runAdminStatement, withDatabaseName } from '../../dist/libs/database/scratch-database.js';
import { createDataSource } from '../../dist/src/data-source.js';

/**
 * One fresh database per run, migrated once, shared by the test files (each creates its own
 * community, so they do not interfere). With DATABASE_URL it is created on that server; without,
 * on an embedded PostgreSQL under .data/test, as a newcomer's machine has no server.
 */
export default async function globalSetup() {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = new EmbeddedPostgres({ dataDir: resolve(process.env.TEST_DATA_DIR ?? '.data/test') });
    serverUrl = withDatabaseName(await embedded.start(), 'postgres');
    globalThis.embeddedPostgres = embedded;
  }
  const name = `pumasi_test_${process.pid}_${Date.now()}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${name}"`);
  const url = withDatabaseName(serverUrl, name);
  const dataSource = createDataSource(url, 2);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  process.env.PUMASI_TEST_DATABASE_URL = url;
  process.env.PUMASI_TEST_SERVER_URL = serverUrl;
  process.env.PUMASI_TEST_DATABASE_NAME = name;
}
