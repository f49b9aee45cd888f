import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { runAdminStatement, withDatabaseName } from '../../libs/database/scratch-database.js';
import { SERVICE_LOGIN, withCredentials } from '../../libs/database/service-role.js';

/** What global setup left for the test files: the server, the migrated template on it, and the service's password. */
function testRun(): { serverUrl: string; template: string; servicePassword: string } {
  const {
    PUMASI_TEST_SERVER_URL: serverUrl,
    PUMASI_TEST_TEMPLATE: template,
    PUMASI_TEST_SERVICE_PASSWORD: servicePassword,
  } = process.env;
  if (!serverUrl || !template || !servicePassword)
    throw new Error('PUMASI_TEST_TEMPLATE is unset: run the tests through `npm test`');
  return { serverUrl, template, servicePassword };
}

/**
 * The database of `ownerUrl` (a clone, as the tables' owner) as the running service reaches it: the
 * login role that global setup made a member of the service role, with only its privileges.
 */
export function serviceUrlOf(ownerUrl: string): string {
  return withCredentials(ownerUrl, SERVICE_LOGIN, testRun().servicePassword);
}

/**
 * One statement as the tables' owner on the database of `ownerUrl`: for what the service's role
 * may not do, such as a test moving a deadline into the past or breaking a rule on purpose.
 */
export async function ownerQuery<T = Record<string, any>>(
  ownerUrl: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const owner = new pg.Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    return (await owner.query(sql, params)).rows as T[];
  } finally {
    await owner.end();
  }
}

/**
 * A new database, migrated as the template is (a copy of its files: far quicker than migrating),
 * and empty but for what migrations insert. Returns its URL. Global teardown drops it with the
 * run's other clones: dropping a database makes PostgreSQL checkpoint (seconds on a busy server),
 * and the drops that teardown makes side by side share their checkpoints.
 *
 * Its commits do not wait for the disk (synchronous_commit off): that is a few milliseconds of
 * every commit of every test. What it gives up is only that a commit outlives a crash of the
 * machine or of PostgreSQL itself, which no test causes; each transaction's locks, constraints
 * and visibility are as with it on, and the servers the tests kill are the app's, not PostgreSQL.
 */
export async function cloneTemplate(): Promise<string> {
  const { serverUrl, template } = testRun();
  // Named after the template, so that global teardown finds it.
  const name = `${template}_${randomUUID().slice(0, 8)}`;
  await runAdminStatement(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await runAdminStatement(serverUrl, `ALTER DATABASE "${name}" SET synchronous_commit = off`);
  return withDatabaseName(serverUrl, name);
}

/**
 * Ends whatever connections to the database of `url` are left, as a file's last hook: a pool a test
 * forgot to close must not hold a connection of the shared server until the run ends.
 */
export async function disconnectAll(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await runAdminStatement(
    testRun().serverUrl,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`,
  );
}

/** Runs `work` on a clone of its own: for a test that damages its database, or wants it to itself. */
export async function withClonedDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  return work(await cloneTemplate());
}
