import { runAdminStatement } from '../../dist/libs/database/scratch-database.js';

export default async function globalTeardown() {
  const { PUMASI_TEST_SERVER_URL: serverUrl, PUMASI_TEST_DATABASE_NAME: name } = process.env;
  if (serverUrl && name) await runAdminStatement(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await globalThis.embeddedPostgres?.stop();
}
