import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14, holds under contention: a sweeper no longer waits for accounts. It claimed up to 100
 * due holds and then locked all their accounts, in ascending order: in a small community that is
 * every account, taken one by one behind the payments that held them, each taken one held until the
 * sweeper's commit. Every payment queued behind it, and with two replicas' sweepers it happened
 * twice as often: two replicas served about half the holds workload that one did (bench --only holds).
 *
 * Now it locks only the accounts no one holds (SKIP LOCKED never waits, so no order can deadlock)
 * and voids the claimed holds whose two accounts it got. A hold on a busy account is voided by the
 * payment that holds it (ledger_lock_accounts_expiring voids the due holds of the accounts it locks),
 * or by the next sweep. A claimed hold that a payment voided meanwhile (its trigger leaves a claimed
 * row to the sweeper) leaves the open holds here. It returns how many claimed holds are resolved
 * now, so that a sweep goes on to the next batch only while batches are done whole.
 */
export class SweeperSkipsBusyAccounts1764520000000 implements MigrationInterface {
  name = 'SweeperSkipsBusyAccounts1764520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(EXPIRE_DUE_HOLDS);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(OLD_EXPIRE_DUE_HOLDS);
  }
}

const EXPIRE_DUE_HOLDS = `CREATE OR REPLACE FUNCTION ledger_expire_due_holds(p_limit integer) RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path = pg_catalog, public, pg_temp
AS $function$
DECLARE
  v_due ledger_open_holds[];
  v_free bigint[];
  v_resolved integer;
BEGIN
  -- Claimed for this transaction; another sweeper skips them and takes the next ones.
  v_due := ARRAY(SELECT h FROM ledger_open_holds h WHERE h.timeout_at <= clock_timestamp()
                  ORDER BY h.timeout_at LIMIT p_limit FOR UPDATE SKIP LOCKED);
  -- Of their accounts, those no one holds now: a payment never queues behind a sweeper that waits.
  v_free := ARRAY(SELECT a.id FROM accounts a
                   WHERE a.id IN (SELECT d.debit_account_id FROM unnest(v_due) d UNION SELECT d.credit_account_id FROM unnest(v_due) d)
                   ORDER BY a.id FOR UPDATE SKIP LOCKED);
  -- A hold resolved meanwhile is left alone (ledger_expire_pending checks under the locks).
  PERFORM ledger_expire_pending(d.transfer_id) FROM unnest(v_due) d
    WHERE d.debit_account_id = ANY(v_free) AND d.credit_account_id = ANY(v_free);
  SELECT count(*) INTO v_resolved FROM unnest(v_due) d WHERE EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = d.transfer_id);
  DELETE FROM ledger_open_holds h
   WHERE h.transfer_id IN (SELECT d.transfer_id FROM unnest(v_due) d)
     AND EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = h.transfer_id);
  RETURN v_resolved;
END $function$`;

// As 1764440000000-open-holds created it.
const OLD_EXPIRE_DUE_HOLDS = `CREATE OR REPLACE FUNCTION ledger_expire_due_holds(p_limit integer) RETURNS integer
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
