-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_refuse_dating_in_closed_period()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_dated record;
BEGIN
  -- Once per statement, for all the transfers it wrote.
  SELECT n.created_at, n.currency_id INTO v_dated
    FROM new_transfers n JOIN ledger_periods p ON p.currency_id = n.currency_id AND n.created_at < p.closed_through + interval '1 millisecond'
   LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'transfer dated % falls in a closed period of currency %', v_dated.created_at, v_dated.currency_id
      USING ERRCODE = 'PL004', HINT = 'Post the correction in the open period, referring to the original.';
  END IF;
  RETURN NULL;
END $function$;
