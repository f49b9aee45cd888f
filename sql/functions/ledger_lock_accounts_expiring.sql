-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_lock_accounts_expiring(p_account_ids bigint[])
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
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
END $function$;
