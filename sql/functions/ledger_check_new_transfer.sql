-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_check_new_transfer()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  -- Each of its postings was checked as it was written (one side of it, one per account): two make
  -- it whole. A transfer that moves nothing has none, as no posting can name it.
  IF (SELECT count(*) FROM postings p WHERE p.transfer_id = NEW.id) <> 2 THEN
    RAISE EXCEPTION 'transfer % (%) must have 2 postings of its amount, netting to zero', NEW.id, NEW.kind
      USING ERRCODE = 'PL002';
  END IF;
  RETURN NULL;
END $function$;
