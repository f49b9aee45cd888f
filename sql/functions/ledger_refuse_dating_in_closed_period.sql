-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_refuse_dating_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF EXISTS (SELECT 1 FROM ledger_periods p WHERE p.currency_id = NEW.currency_id AND NEW.created_at < p.closed_through + interval '1 millisecond') THEN
    RAISE EXCEPTION 'transfer dated % falls in a closed period of currency %', NEW.created_at, NEW.currency_id
      USING ERRCODE = 'PL004', HINT = 'Post the correction in the open period, referring to the original.';
  END IF;
  RETURN NEW;
END $function$;
