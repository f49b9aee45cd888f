import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, holds under contention. Expiring holds deadlocked with payments, with resolutions and
 * with other sweepers, and every sweep rescanned every hold ever made. Now:
 * - `ledger_open_holds` lists the holds with a timeout that are not yet resolved (id, accounts,
 *   amount, timeout), indexed by timeout and by account. A trigger on `transfers` keeps it in the
 *   writing transaction: a row when a timed hold is created, gone when the hold is posted, voided or
 *   expired. Sweepers, the payment path and balance reads look there instead of scanning transfers.
 *   It is a working table, not history: the owner's functions delete from it; the service may only
 *   read it, so it cannot hide a hold from expiry.
 * - `ledger_expire_due_holds(limit)`, the sweeper's one call: it claims due holds (FOR UPDATE SKIP
 *   LOCKED, so replicas take disjoint ones), locks all their accounts at once in ascending id order,
 *   as every writer does, then voids them. Nobody waits on a claimed row (the trigger skips a row a
 *   sweeper holds, and that sweeper deletes it), so a sweeper waits only for accounts, in order.
 * - A write that meets due holds (`ledger_lock_accounts_expiring`) finds them in `ledger_open_holds`,
 *   and `ledger_create_transfer` called alone locks its accounts through it too, all at once,
 *   instead of its two accounts first and the holds' other accounts after.
 * - `ledger_lock_expired_pending`, the old scan, is dropped.
 */
export class OpenHolds1764440000000 implements MigrationInterface {
  name = 'OpenHolds1764440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OPEN_HOLDS_TABLE);
    await queryRunner.query('CREATE INDEX "IDX_ledger_open_holds_timeout" ON ledger_open_holds (timeout_at)');
    await queryRunner.query(
      'CREATE INDEX "IDX_ledger_open_holds_debit" ON ledger_open_holds (debit_account_id, timeout_at)',
    );
    await queryRunner.query(
      'CREATE INDEX "IDX_ledger_open_holds_credit" ON ledger_open_holds (credit_account_id, timeout_at)',
    );
    await queryRunner.query(FILL_OPEN_HOLDS);
    await queryRunner.query(TRACK_OPEN_HOLD);
    await queryRunner.query(TRACK_OPEN_HOLD_TRIGGER);
    await queryRunner.query(EXPIRE_DUE_HOLDS);
    await queryRunner.query(LOCK_ACCOUNTS_EXPIRING);
    await queryRunner.query(EXPIRED_HOLDS);
    await queryRunner.query(CREATE_TRANSFER);
    await queryRunner.query('DROP FUNCTION ledger_lock_expired_pending(integer)');
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION ledger_track_open_hold() FROM PUBLIC');
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION ledger_expire_due_holds(integer) FROM PUBLIC');
    await queryRunner.query('GRANT EXECUTE ON FUNCTION ledger_expire_due_holds(integer) TO pumasi_service');
    // Read by ledger_expired_holds, which runs as the service; written only by the owner's functions.
    await queryRunner.query('GRANT SELECT ON ledger_open_holds TO pumasi_service');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OLD_LOCK_EXPIRED_PENDING);
    await queryRunner.query('REVOKE EXECUTE ON FUNCTION ledger_lock_expired_pending(integer) FROM PUBLIC');
    await queryRunner.query('GRANT EXECUTE ON FUNCTION ledger_lock_expired_pending(integer) TO pumasi_service');
    await queryRunner.query(OLD_CREATE_TRANSFER);
    await queryRunner.query(OLD_EXPIRED_HOLDS);
    await queryRunner.query(OLD_LOCK_ACCOUNTS_EXPIRING);
    await queryRunner.query('DROP FUNCTION ledger_expire_due_holds(integer)');
    await queryRunner.query('DROP TRIGGER transfers_track_open_holds ON transfers');
    await queryRunner.query('DROP FUNCTION ledger_track_open_hold()');
    await queryRunner.query('DROP TABLE ledger_open_holds');
  }
}

// No foreign key to transfers: a transfer is never deleted, and the trigger is the only writer.
const OPEN_HOLDS_TABLE = `CREATE TABLE ledger_open_holds (
  transfer_id bigint PRIMARY KEY,
  debit_account_id bigint NOT NULL,
  credit_account_id bigint NOT NULL,
  amount bigint NOT NULL,
  timeout_at timestamptz NOT NULL
)`;

const FILL_OPEN_HOLDS = `INSERT INTO ledger_open_holds (transfer_id, debit_account_id, credit_account_id, amount, timeout_at)
  SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.timeout_at FROM transfers t
   WHERE t.kind = 'pending' AND t.timeout_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)`;

// Not SECURITY DEFINER: transfers are written only by the ledger's functions, which run as the owner.
const TRACK_OPEN_HOLD = `CREATE FUNCTION ledger_track_open_hold() RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF NEW.pending_id IS NULL THEN
    INSERT INTO ledger_open_holds (transfer_id, debit_account_id, credit_account_id, amount, timeout_at)
      VALUES (NEW.id, NEW.debit_account_id, NEW.credit_account_id, NEW.amount, NEW.timeout_at);
  ELSE
    -- A hold a sweeper has claimed is left to it (it deletes what it claimed): waiting for that
    -- sweeper here could deadlock, as it waits for the accounts this transaction holds.
    DELETE FROM ledger_open_holds h
     WHERE h.transfer_id = (SELECT o.transfer_id FROM ledger_open_holds o WHERE o.transfer_id = NEW.pending_id FOR UPDATE SKIP LOCKED);
  END IF;
  RETURN NULL;
END $function$`;

// Direct payments, the hot path, do not even call the function.
const TRACK_OPEN_HOLD_TRIGGER = `CREATE TRIGGER transfers_track_open_holds AFTER INSERT ON transfers FOR EACH ROW
  WHEN (NEW.pending_id IS NOT NULL OR (NEW.kind = 'pending' AND NEW.timeout_at IS NOT NULL))
  EXECUTE FUNCTION ledger_track_open_hold()`;

const EXPIRE_DUE_HOLDS = `CREATE FUNCTION ledger_expire_due_holds(p_limit integer) RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $function$
DECLARE
  v_due ledger_open_holds[];
BEGIN
  -- Claimed for this transaction; another sweeper skips them and takes the next ones.
  v_due := ARRAY(SELECT h FROM ledger_open_holds h WHERE h.timeout_at <= clock_timestamp()
                  ORDER BY h.timeout_at LIMIT p_limit FOR UPDATE SKIP LOCKED);
  -- All their accounts at once, in ascending id order, as payments and resolutions take theirs.
  PERFORM 1 FROM accounts a
   WHERE a.id IN (SELECT d.debit_account_id FROM unnest(v_due) d UNION SELECT d.credit_account_id FROM unnest(v_due) d)
   ORDER BY a.id FOR UPDATE;
  -- A hold resolved meanwhile is left alone (ledger_expire_pending checks under the locks).
  PERFORM ledger_expire_pending(d.transfer_id) FROM unnest(v_due) d;
  DELETE FROM ledger_open_holds h WHERE h.transfer_id IN (SELECT d.transfer_id FROM unnest(v_due) d);
  RETURN cardinality(v_due);
END $function$`;

const LOCK_ACCOUNTS_EXPIRING = `CREATE OR REPLACE FUNCTION ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $function$
DECLARE
  v_due ledger_open_holds[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = ANY(p_account_ids) AND (a.pending_debits > 0 OR a.pending_credits > 0)) THEN
    PERFORM 1 FROM accounts a WHERE a.id = ANY(p_account_ids) ORDER BY a.id FOR UPDATE;
    RETURN;
  END IF;
  v_due := ARRAY(
    SELECT h FROM ledger_open_holds h
     WHERE (h.debit_account_id = ANY(p_account_ids) OR h.credit_account_id = ANY(p_account_ids))
       AND h.timeout_at <= clock_timestamp());
  -- One statement, ascending ids: these accounts and the other sides of their due holds. A hold
  -- that falls due after this look is left to the sweeper: taking its account now would be out of order.
  PERFORM 1 FROM accounts a
   WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM unnest(v_due) d) || ARRAY(SELECT d.credit_account_id FROM unnest(v_due) d))
   ORDER BY a.id FOR UPDATE;
  PERFORM ledger_expire_pending(d.transfer_id) FROM unnest(v_due) d;
END $function$`;

const EXPIRED_HOLDS = `CREATE OR REPLACE FUNCTION ledger_expired_holds(p_account_id bigint, p_pending_debits bigint, p_pending_credits bigint, OUT debits bigint, OUT credits bigint)
 RETURNS record
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE WHEN p_pending_debits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(h.amount), 0) FROM ledger_open_holds h
             WHERE h.debit_account_id = p_account_id AND h.timeout_at <= clock_timestamp()
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = h.transfer_id)) END::bigint,
         CASE WHEN p_pending_credits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(h.amount), 0) FROM ledger_open_holds h
             WHERE h.credit_account_id = p_account_id AND h.timeout_at <= clock_timestamp()
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = h.transfer_id)) END::bigint
$function$`;

const CREATE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_create_transfer(p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_idempotency_scope text DEFAULT 'system'::text, p_accounts_locked boolean DEFAULT false)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  -- Both accounts, and the other accounts of their due holds, locked at once in ascending id order
  -- (never these two first and the others after: that order could deadlock with another writer).
  IF NOT p_accounts_locked THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, v_at
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id INTO v_transfer_id;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + p_amount WHERE a.id = p_debit_account_id;
    UPDATE accounts a SET pending_credits = a.pending_credits + p_amount WHERE a.id = p_credit_account_id;
  ELSE
    PERFORM ledger_post(v_transfer_id, p_debit_account_id, p_credit_account_id, p_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;

const OLD_LOCK_ACCOUNTS_EXPIRING = `CREATE OR REPLACE FUNCTION public.ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_due transfers[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = ANY(p_account_ids) AND (a.pending_debits > 0 OR a.pending_credits > 0)) THEN
    PERFORM 1 FROM accounts a WHERE a.id = ANY(p_account_ids) ORDER BY a.id FOR UPDATE;
    RETURN;
  END IF;
  v_due := ARRAY(
    SELECT t FROM transfers t
     WHERE (t.debit_account_id = ANY(p_account_ids) OR t.credit_account_id = ANY(p_account_ids))
       AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
       AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id));
  PERFORM 1 FROM accounts a
   WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM unnest(v_due) d) || ARRAY(SELECT d.credit_account_id FROM unnest(v_due) d))
   ORDER BY a.id FOR UPDATE;
  PERFORM ledger_expire_pending(d.id) FROM unnest(v_due) d;
END $function$`;

const OLD_EXPIRED_HOLDS = `CREATE OR REPLACE FUNCTION public.ledger_expired_holds(p_account_id bigint, p_pending_debits bigint, p_pending_credits bigint, OUT debits bigint, OUT credits bigint)
 RETURNS record
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE WHEN p_pending_debits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(t.amount), 0) FROM transfers t
             WHERE t.debit_account_id = p_account_id AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) END::bigint,
         CASE WHEN p_pending_credits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(t.amount), 0) FROM transfers t
             WHERE t.credit_account_id = p_account_id AND t.timeout_at <= clock_timestamp() AND t.kind = 'pending'
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)) END::bigint
$function$`;

const OLD_LOCK_EXPIRED_PENDING = `CREATE FUNCTION ledger_lock_expired_pending(p_limit integer)
 RETURNS SETOF bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
    SELECT t.id FROM transfers t
     WHERE t.timeout_at <= clock_timestamp() AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)
     ORDER BY t.timeout_at LIMIT p_limit FOR NO KEY UPDATE OF t SKIP LOCKED
  $function$`;

const OLD_CREATE_TRANSFER = `CREATE OR REPLACE FUNCTION public.ledger_create_transfer(p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_idempotency_scope text DEFAULT 'system'::text, p_accounts_locked boolean DEFAULT false)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  -- The hot path's one statement, as before expiry existed: lock both accounts in ascending id order
  -- and learn whether either has anything pending. Only then are due holds looked for and released
  -- (their other accounts locked after these two: a rare deadlock there is retried by the service).
  IF NOT p_accounts_locked AND (SELECT coalesce(bool_or(a.pending_debits > 0 OR a.pending_credits > 0), false)
                                  FROM (SELECT a.pending_debits, a.pending_credits FROM accounts a
                                         WHERE a.id IN (p_debit_account_id, p_credit_account_id) ORDER BY a.id FOR UPDATE) a) THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, v_at
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id INTO v_transfer_id;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + p_amount WHERE a.id = p_debit_account_id;
    UPDATE accounts a SET pending_credits = a.pending_credits + p_amount WHERE a.id = p_credit_account_id;
  ELSE
    PERFORM ledger_post(v_transfer_id, p_debit_account_id, p_credit_account_id, p_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$`;
