-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.exchanges_enforce_transitions()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_from character varying;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    v_from := OLD.status;
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM exchange_transitions t
     WHERE t.from_status IS NOT DISTINCT FROM v_from AND t.to_status = NEW.status
       AND (t.only_for IS NULL OR t.only_for = CASE WHEN NEW.group_id IS NULL THEN 'single' ELSE 'group' END)
  ) THEN
    RAISE EXCEPTION 'exchange %: no move from % to %', NEW.id, coalesce(v_from, '(start)'), NEW.status
      USING ERRCODE = 'PL005', HINT = 'The moves an exchange may make are the rows of exchange_transitions.';
  END IF;
  RETURN NEW;
END $function$;
