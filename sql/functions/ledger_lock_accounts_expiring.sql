-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
 SET plan_cache_mode TO 'force_generic_plan'
AS $function$
-- Planned once per session (generic): a plan made for each call's ids costs more than the lock.
DECLARE
  v_due bigint[];
BEGIN
  -- One statement, ascending ids: these accounts and the other sides of their holds past the
  -- timeout (looked up before any lock: an account with nothing pending costs two index probes of a
  -- short list). A hold that falls due after this look is left to the sweeper: taking its account now
  -- would be out of order.
  WITH due AS MATERIALIZED (
    SELECT h.transfer_id, h.debit_account_id, h.credit_account_id FROM ledger_open_holds h
     WHERE (h.debit_account_id = ANY(p_account_ids) OR h.credit_account_id = ANY(p_account_ids))
       AND h.timeout_at <= clock_timestamp()),
  locked AS (
    SELECT a.id FROM accounts a
     WHERE a.id = ANY(p_account_ids || ARRAY(SELECT d.debit_account_id FROM due d) || ARRAY(SELECT d.credit_account_id FROM due d))
     ORDER BY a.id FOR UPDATE)
  SELECT ARRAY(SELECT d.transfer_id FROM due d) INTO v_due FROM (SELECT count(*) FROM locked) AS all_locked;
  IF cardinality(v_due) > 0 THEN
    PERFORM ledger_expire_pending(d) FROM unnest(v_due) AS d;
  END IF;
END $function$;
