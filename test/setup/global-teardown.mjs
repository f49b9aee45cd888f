import pg from 'pg';

/** Drops the template and whatever clone of it a test file left behind (one that crashed, or timed out in afterAll). */
export default async function globalTeardown() {
  const { PUMASI_TEST_SERVER_URL: serverUrl, PUMASI_TEST_TEMPLATE: template } = process.env;
  if (serverUrl && template) {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      // The clones' names start with the template's (test/support/test-database.ts).
      const { rows } = await client.query('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [template]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  await globalThis.embeddedPostgres?.stop();
}
