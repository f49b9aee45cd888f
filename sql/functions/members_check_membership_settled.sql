-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.members_check_membership_settled()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF EXISTS (SELECT 1 FROM accounts a WHERE a.id = NEW.account_id
              AND (a.posted_credits <> a.posted_debits OR a.pending_debits <> 0 OR a.pending_credits <> 0)) THEN
    RAISE EXCEPTION 'membership % cannot close: its account % is not settled', NEW.id, NEW.account_id USING ERRCODE = 'PL003';
  END IF;
  RETURN NEW;
END $function$;
