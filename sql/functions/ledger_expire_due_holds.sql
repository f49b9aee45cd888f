-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_expire_due_holds(p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
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
END $function$;
