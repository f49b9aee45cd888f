-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_lock_accounts(p_first bigint, p_second bigint)
 RETURNS void
 LANGUAGE sql
AS $function$
  SELECT 1 FROM accounts a WHERE a.id IN (p_first, p_second) ORDER BY a.id FOR UPDATE
$function$;
