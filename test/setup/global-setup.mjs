// Jest loads global setup as CommonJS, outside ts-jest's ESM pipeline, so this file uses the
// compiled code that `npm start` runs (`npm test` builds it first).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { EmbeddedPostgres } from '../../dist/libs/database/embedded-postgres.js';
import { runMigrations } from '../../dist/libs/database/migrate.js';
import { runAdminStatement, withDatabaseName } from '../../dist/libs/database/scratch-database.js';
import { ensureServiceLogin } from '../../dist/libs/database/service-role.js';
import { createDataSource } from '../../dist/src/data-source.js';

/**
 * One template database per run, migrated once; each test file gets a clone of it of its own
 * (test/setup/file-database.ts), so that no file sees another's rows, locks or jobs. With
 * DATABASE_URL it is created on that server; without, on an embedded PostgreSQL under .data/test,
 * as a newcomer's machine has no server. Its name is the run's own: other runs may share the server.
 */
export default async function globalSetup() {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = new EmbeddedPostgres({ dataDir: resolve(process.env.TEST_DATA_DIR ?? '.data/test') });
    serverUrl = withDatabaseName(await embedded.start(), 'postgres');
    globalThis.embeddedPostgres = embedded;
  }
  const template = `pumasi_template_${process.pid}_${Date.now()}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${template}"`);
  const dataSource = createDataSource(withDatabaseName(serverUrl, template), 2);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.destroy();
  // The test apps log in as the service does in production: a member of its role, with only its privileges.
  process.env.PUMASI_TEST_SERVICE_PASSWORD = randomBytes(18).toString('base64url');
  await ensureServiceLogin(serverUrl, process.env.PUMASI_TEST_SERVICE_PASSWORD);
  // CREATE DATABASE ... TEMPLATE fails while anyone is connected to the template: from now on, nobody can be.
  await runAdminStatement(serverUrl, `ALTER DATABASE "${template}" WITH ALLOW_CONNECTIONS false`);
  process.env.PUMASI_TEST_SERVER_URL = serverUrl;
  process.env.PUMASI_TEST_TEMPLATE = template;
}
