import pg from 'pg';

/** Drops at most this many databases at a time: each holds a connection of a server other runs share. */
const DROPS_AT_ONCE = 8;

/**
 * Drops the template and its clones (test/support/test-database.ts), several at a time: each drop
 * makes PostgreSQL checkpoint, and drops waiting together share one.
 */
export default async function globalTeardown() {
  const { PUMASI_TEST_SERVER_URL: serverUrl, PUMASI_TEST_TEMPLATE: template } = process.env;
  if (serverUrl && template) {
    const names = await databasesNamedAfter(serverUrl, template);
    const drop = async () => {
      for (let name = names.pop(); name; name = names.pop()) {
        await adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      }
    };
    await Promise.all(Array.from({ length: DROPS_AT_ONCE }, drop));
  }
  await globalThis.embeddedPostgres?.stop();
}

/** The template and every clone of it: the clones' names start with the template's. */
async function databasesNamedAfter(serverUrl, template) {
  const rows = await adminQuery(serverUrl, 'SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
    template,
  ]);
  return rows.map((row) => row.datname);
}

async function adminQuery(serverUrl, sql, params = []) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}
