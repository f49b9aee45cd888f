import { pgErrorCode } from '../../libs/database/pg-errors.js';
import { excessPrivileges, SERVICE_ROLE } from '../../libs/database/service-role.js';
import { PrivilegedDatabaseUserError } from '../../src/app.js';
import { startTestApp, testDatabaseUrl, useTestApp } from '../support/test-app.js';
import { createLedgerFixture } from '../support/ledger-fixture.js';
import { ownerQuery } from '../support/test-database.js';

const INSUFFICIENT_PRIVILEGE = '42501';

/**
 * The tables whose rows the service may change or delete: what members, coordinators and partner
 * apps edit, and the service's own bookkeeping. Every other table is history (or reference data):
 * the service may at most append to it. A new table is history until it is added here on purpose.
 */
const MUTABLE_TABLES = [
  'api_keys',
  'communities',
  'exchanges',
  'invitations',
  'listings',
  'members',
  'memberships',
  'oauth_payloads',
  'partner_apps',
  'partner_consents',
  'rate_limit_counters',
  'report_exports',
  'sessions',
  'verification_runs',
  'webhook_deliveries',
  'webhook_endpoints',
];

/**
 * Columns of history tables that the service may set, and of accounts that it may change outside the
 * ledger's functions. None of the outbox's: the relay's function (events_publish) stamps an event's
 * position and published_at as the owner.
 */
const UPDATABLE_COLUMNS: Record<string, string[]> = {
  accounts: ['lower_limit', 'status', 'upper_limit'],
};

/**
 * Issue 17's least privilege: the running service connects as a member of the service role, which
 * cannot rewrite history, move money but through the ledger's functions, or change the schema.
 * CI runs this file on the embedded PostgreSQL and on the machine's server.
 */
describe("the service's database role", () => {
  const t = useTestApp(4);

  const refusal = async (sql: string): Promise<string | undefined> => {
    try {
      await t.dataSource.query(sql);
      return 'succeeded';
    } catch (error) {
      return pgErrorCode(error);
    }
  };

  it('is neither a superuser nor an owner, and creates nothing', async () => {
    expect(await excessPrivileges((sql) => t.dataSource.query(sql))).toEqual([]);
    const [{ member }] = await t.dataSource.query(`SELECT pg_has_role(current_user, $1, 'USAGE') AS member`, [
      SERVICE_ROLE,
    ]);
    expect(member).toBe(true);
  });

  it.each([
    'UPDATE postings SET amount = amount + 1',
    'DELETE FROM transfers',
    'TRUNCATE audit_log',
    'ALTER TABLE accounts ADD COLUMN note text',
    'UPDATE transfers SET memo = memo',
    'DELETE FROM audit_log',
    'UPDATE audit_log SET reason = reason',
    'TRUNCATE postings',
    'TRUNCATE transfers',
    'DELETE FROM ledger_chain',
    'UPDATE ledger_checkpoints SET position = position',
    'UPDATE outbox_events SET payload = payload',
    'DELETE FROM outbox_events',
    'UPDATE outbox_events SET published_at = now()',
    'UPDATE outbox_events SET position = 1',
    'UPDATE reviews SET rating = rating',
    // A transfer's event takes its audience from the accounts' memberships as it is published: they stay put.
    'UPDATE memberships SET account_id = account_id',
    'UPDATE memberships SET member_id = member_id',
    'DELETE FROM memberships',
    'UPDATE accounts SET posted_credits = posted_credits + 100',
    "INSERT INTO accounts (currency_id, kind, name, posted_credits) VALUES (1, 'member', 'x', 100)",
    'INSERT INTO postings (transfer_id, account_id, amount) VALUES (1, 1, 1)',
    'INSERT INTO transfers (idempotency_key) VALUES ($$forged$$)',
    // Hiding a hold from the sweepers, or listing one that is not, would skew expiry and balances.
    'DELETE FROM ledger_open_holds',
    "INSERT INTO ledger_open_holds VALUES (1, 1, 2, 100, now() + interval '1 day')",
    'UPDATE ledger_open_holds SET timeout_at = now() + interval $$1 year$$',
    'SELECT ledger_track_open_hold()',
    'ALTER TABLE postings DISABLE TRIGGER postings_append_only',
    'DROP TRIGGER transfers_append_only ON transfers',
    'CREATE TABLE shadow (id int)',
    'CREATE FUNCTION ledger_shadow() RETURNS int LANGUAGE sql AS $$SELECT 1$$',
    'SET session_replication_role = replica',
    'SELECT ledger_post(1, 1, 2, 1, now())',
    "SELECT * FROM ledger_create_transfer('k', 'h', 1, 2, 1, 'payment', '', '{}', false, NULL, 'scope', false)",
  ])('refuses %s: permission denied', async (sql) => {
    expect(await refusal(sql)).toBe(INSUFFICIENT_PRIVILEGE);
  });

  it('may change rows only of the tables people edit, and append to the rest', async () => {
    const rows = await t.dataSource.query<{ table_name: string; privilege_type: string }[]>(
      `SELECT table_name, privilege_type FROM information_schema.role_table_grants
        WHERE table_schema = 'public' AND grantee = $1 AND privilege_type NOT IN ('SELECT', 'INSERT')`,
      [SERVICE_ROLE],
    );
    const changed = rows.filter((row) => ['UPDATE', 'DELETE'].includes(row.privilege_type));
    expect(changed.filter((row) => !MUTABLE_TABLES.includes(row.table_name))).toEqual([]);
    expect(rows.filter((row) => !['UPDATE', 'DELETE'].includes(row.privilege_type))).toEqual([]);

    const columns = await t.dataSource.query<{ table_name: string; column_name: string }[]>(
      `SELECT table_name, column_name FROM information_schema.column_privileges
        WHERE table_schema = 'public' AND grantee = $1 AND privilege_type = 'UPDATE' AND NOT table_name = ANY($2)
        ORDER BY table_name, column_name`,
      [SERVICE_ROLE, MUTABLE_TABLES],
    );
    const updatable: Record<string, string[]> = {};
    for (const { table_name, column_name } of columns) (updatable[table_name] ??= []).push(column_name);
    expect(updatable).toEqual(UPDATABLE_COLUMNS);
  });

  it('runs no function of ours unless granted, and the ledger functions it may run pin their search_path', async () => {
    const functions = await t.dataSource.query<
      { name: string; public: boolean; service: boolean; definer: boolean; config: string[] | null }[]
    >(
      `SELECT p.oid::regprocedure::text AS name, has_function_privilege('public', p.oid, 'EXECUTE') AS public,
              has_function_privilege($1, p.oid, 'EXECUTE') AS service, p.prosecdef AS definer, p.proconfig AS config
         FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`,
      [SERVICE_ROLE],
    );
    expect(functions.length).toBeGreaterThan(20);
    expect(functions.filter((fn) => fn.public).map((fn) => fn.name)).toEqual([]);
    const unpinned = functions.filter(
      (fn) => fn.definer && !fn.config?.includes('search_path=pg_catalog, public, pg_temp'),
    );
    expect(unpinned.map((fn) => fn.name)).toEqual([]);
    // Every function that writes the ledger as its owner is one the service is meant to call.
    expect(functions.filter((fn) => fn.definer && !fn.service).map((fn) => fn.name)).toEqual([]);
  });

  it('moves money through the ledger functions all the same', async () => {
    const [{ count }] = await ownerQuery<{ count: string }>(testDatabaseUrl(), 'SELECT count(*) FROM transfers');
    await createLedgerFixture(t, [{ balance: 30n }, { balance: 0n }]);
    const [{ count: after }] = await ownerQuery<{ count: string }>(testDatabaseUrl(), 'SELECT count(*) FROM transfers');
    expect(Number(after)).toBeGreaterThan(Number(count));
  });
});

describe('starting as a privileged role', () => {
  it('is refused, naming what is too much and what to do', async () => {
    const owner = { DATABASE_URL: testDatabaseUrl() };
    const started = startTestApp(2, undefined, owner);
    await expect(started).rejects.toBeInstanceOf(PrivilegedDatabaseUserError);
    await expect(started).rejects.toThrow(/owns table .*MIGRATION_DATABASE_URL.*ALLOW_PRIVILEGED_DATABASE_USER=true/s);
  });

  it('is allowed when the operator says so', async () => {
    const app = await startTestApp(2, undefined, {
      DATABASE_URL: testDatabaseUrl(),
      ALLOW_PRIVILEGED_DATABASE_USER: 'true',
    });
    try {
      expect((await app.graphql('{ __typename }')).data).toEqual({ __typename: 'Query' });
    } finally {
      await app.close();
    }
  });
});
