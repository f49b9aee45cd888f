import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The running service stops being the owner of what it guards. Migrations still run as the owner;
 * the service connects as a login role that is a member of `pumasi_service`, which may:
 * - read every table;
 * - write the tables that hold what members, coordinators and partner apps change (members,
 *   listings, exchanges, sessions, ...), and only append to the ones that are history (audit log,
 *   reviews, checkpoints, outbox, whose publish stamp alone it may set);
 * - move money only through the ledger's functions: transfers, postings, failures, the chain,
 *   periods and account balances are written by SECURITY DEFINER functions that run as the owner,
 *   with a fixed search_path, and that nobody else may execute.
 * No UPDATE, DELETE or TRUNCATE on any history table, no DDL: a bug or an injection in the service
 * cannot rewrite history, nor disable the triggers that would refuse it.
 *
 * Creating the role needs CREATEROLE; where the owner lacks it, an administrator creates
 * `pumasi_service` (NOLOGIN) first and this migration only grants (docs/operations.md).
 */
export class LeastPrivilege1764390000000 implements MigrationInterface {
  name = 'LeastPrivilege1764390000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CREATE_SERVICE_ROLE);
    await queryRunner.query(LOCK_EXPIRED_PENDING);
    await queryRunner.query(LOCK_CHAIN_HEAD);
    // PostgreSQL lets everyone execute a new function: ours are the service's alone, or nobody's.
    await queryRunner.query(onEveryOwnFunction('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC'));
    for (const signature of LEDGER_ENTRY_POINTS) {
      await queryRunner.query(
        `ALTER FUNCTION ${signature} SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp`,
      );
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${signature} TO pumasi_service`);
    }
    for (const signature of SERVICE_HELPERS) {
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${signature} TO pumasi_service`);
    }
    // PostgreSQL before 15 lets everyone create in schema public; from 15 on, this changes nothing.
    await queryRunner.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await queryRunner.query('GRANT USAGE ON SCHEMA public TO pumasi_service');
    await queryRunner.query('GRANT SELECT ON ALL TABLES IN SCHEMA public TO pumasi_service');
    for (const grant of TABLE_WRITES) await queryRunner.query(`GRANT ${grant} TO pumasi_service`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE ${INSERTED_SEQUENCES.join(', ')} TO pumasi_service`);
    // The chainer reads the last transfer id handed out (src/integrity/chain.repository.ts, extendChain).
    await queryRunner.query('GRANT SELECT ON SEQUENCE transfers_id_seq TO pumasi_service');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM pumasi_service`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM pumasi_service`);
    await queryRunner.query(`REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM pumasi_service`);
    await queryRunner.query('REVOKE USAGE ON SCHEMA public FROM pumasi_service');
    for (const signature of LEDGER_ENTRY_POINTS) {
      await queryRunner.query(`ALTER FUNCTION ${signature} SECURITY INVOKER RESET search_path`);
    }
    await queryRunner.query(onEveryOwnFunction('GRANT EXECUTE ON FUNCTION %s TO PUBLIC'));
    await queryRunner.query('DROP FUNCTION ledger_lock_chain_head(bigint)');
    await queryRunner.query('DROP FUNCTION ledger_lock_expired_pending(integer)');
    // The role stays: other databases of the cluster may use it, and dropping it is an administrator's call.
  }
}

/** Runs `statement` (a format() string) on each of the project's own functions, not those of extensions. */
const onEveryOwnFunction = (statement: string): string => `DO $$
  DECLARE v_function regprocedure;
  BEGIN
    FOR v_function IN
      SELECT p.oid FROM pg_proc p
       WHERE p.pronamespace = 'public'::regnamespace
         AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
    LOOP
      EXECUTE format('${statement}', v_function);
    END LOOP;
  END $$`;

/** Created when missing; a concurrent migration of another database may create it at the same moment. */
const CREATE_SERVICE_ROLE = `DO $$
  BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pumasi_service') THEN
      CREATE ROLE pumasi_service NOLOGIN;
    END IF;
  EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
    WHEN insufficient_privilege THEN
      RAISE EXCEPTION 'role pumasi_service does not exist, and % may not create roles', current_user
        USING HINT = 'As an administrator: CREATE ROLE pumasi_service NOLOGIN; then migrate again (docs/operations.md, "Database roles").';
  END $$`;

/**
 * Pending transfers past their timeout, locked for this transaction, skipping those another sweeper
 * holds. NO KEY UPDATE, not UPDATE: a write that meets a due hold voids it meanwhile, and the void's
 * reference to the hold (FOR KEY SHARE) must not wait on a sweeper that waits on that write's
 * accounts. A function, because locking a row needs UPDATE on its table, which the service lacks.
 */
const LOCK_EXPIRED_PENDING = `CREATE FUNCTION ledger_lock_expired_pending(p_limit integer) RETURNS SETOF bigint
  LANGUAGE sql AS $$
    SELECT t.id FROM transfers t
     WHERE t.timeout_at <= clock_timestamp() AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)
     ORDER BY t.timeout_at LIMIT p_limit FOR NO KEY UPDATE OF t SKIP LOCKED
  $$`;

/** A currency's chain head, locked for this transaction: checkpoints of one currency are recorded one at a time. */
const LOCK_CHAIN_HEAD = `CREATE FUNCTION ledger_lock_chain_head(p_currency_id bigint)
  RETURNS TABLE ("position" bigint, chain_hash bytea)
  LANGUAGE sql AS $$
    SELECT h.position, h.chain_hash FROM ledger_chain_heads h WHERE h.currency_id = p_currency_id FOR UPDATE
  $$`;

/** What the service calls to move money or keep the books; each runs as the owner. */
const LEDGER_ENTRY_POINTS = [
  'ledger_create_transfers(jsonb, boolean)',
  'ledger_resolve_pending(text, text, bigint, text, bigint, text, text, jsonb, text)',
  'ledger_reverse_transfer(text, text, bigint, text, boolean, text, jsonb, text)',
  'ledger_expire_pending(bigint)',
  'ledger_lock_expired_pending(integer)',
  'ledger_lock_accounts_expiring(bigint[])',
  'ledger_chain_extend(integer, bigint, bigint, bigint)',
  'ledger_lock_chain_head(bigint)',
  'ledger_close_period(bigint, timestamp with time zone, bigint, text)',
];

/**
 * Read-only helpers that the service's queries call, or that its deferred checks call at commit (a
 * deferred trigger runs as the committing role); and the rate limits, on a table the service writes.
 */
const SERVICE_HELPERS = [
  'ledger_assert_transfer_balanced(bigint)',
  'ledger_entry_text(transfers, bytea, postings, postings)',
  'ledger_posting_commitment(bytea, postings)',
  'ledger_expired_holds(bigint, bigint, bigint)',
  'rate_limit_take(text[], integer[], integer[])',
];

const TABLE_WRITES = [
  // What people change, and what the service keeps of its own state.
  'INSERT, UPDATE ON api_keys, communities, exchanges, invitations, listings, members, memberships, partner_apps, partner_consents, sessions, verification_runs',
  'INSERT, UPDATE, DELETE ON oauth_payloads, rate_limit_counters, report_exports',
  'INSERT ON currencies, exchange_groups, retired_refresh_tokens',
  // An account opens empty, and only its status and limits change outside the ledger's functions.
  'INSERT (currency_id, kind, name, lower_limit, upper_limit) ON accounts',
  'UPDATE (status, lower_limit, upper_limit) ON accounts',
  // History the service appends to, and the one stamp it sets.
  'INSERT ON audit_log, ledger_checkpoints, outbox_events, reviews',
  'UPDATE (published_at) ON outbox_events',
];

const INSERTED_SEQUENCES = [
  'accounts_id_seq',
  'api_keys_id_seq',
  'audit_log_id_seq',
  'communities_id_seq',
  'currencies_id_seq',
  'exchange_groups_id_seq',
  'exchanges_id_seq',
  'invitations_id_seq',
  'ledger_checkpoints_id_seq',
  'listings_id_seq',
  'members_id_seq',
  'memberships_id_seq',
  'outbox_events_id_seq',
  'partner_apps_id_seq',
  'partner_consents_id_seq',
  'report_exports_id_seq',
  'reviews_id_seq',
  'sessions_id_seq',
  'verification_runs_id_seq',
];
