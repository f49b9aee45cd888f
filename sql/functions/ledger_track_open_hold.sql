-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_track_open_hold()
 RETURNS trigger
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
END $function$;
