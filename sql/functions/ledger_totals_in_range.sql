-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_totals_in_range(p_posted_debits bigint, p_posted_credits bigint, p_pending_debits bigint, p_pending_credits bigint)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT greatest(p_posted_debits, p_posted_credits, p_pending_debits, p_pending_credits) <= 9007199254740991
     AND p_posted_credits - p_posted_debits - p_pending_debits >= -9007199254740991
     AND p_posted_credits + p_pending_credits - p_posted_debits <= 9007199254740991
$function$;
