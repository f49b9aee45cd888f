import { randomUUID } from 'node:crypto';
import { runAdminStatement, withDatabaseName } from '../../libs/database/scratch-database.js';

/** What global setup left for the test files: the server, and the migrated template on it. */
function testRun(): { serverUrl: string; template: string } {
  const { PUMASI_TEST_SERVER_URL: serverUrl, PUMASI_TEST_TEMPLATE: template } = process.env;
  if (!serverUrl || !template) throw new Error('PUMASI_TEST_TEMPLATE is unset: run the tests through `npm test`');
  return { serverUrl, template };
}

/**
 * A new database, migrated as the template is (a copy of its files: far quicker than migrating),
 * and empty but for what migrations insert. Returns its URL.
 */
export async function cloneTemplate(): Promise<string> {
  const { serverUrl, template } = testRun();
  // Named after the template, so that global teardown finds a clone a crashed test file left behind.
  const name = `${template}_${randomUUID().slice(0, 8)}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return withDatabaseName(serverUrl, name);
}

/** Drops a database made by `cloneTemplate`, closing whatever connections to it are left. */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await runAdminStatement(testRun().serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Runs `work` on a clone of its own, then drops it: for a test that damages its database, or wants it to itself. */
export async function withClonedDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const url = await cloneTemplate();
  try {
    return await work(url);
  } finally {
    await dropDatabase(url);
  }
}
