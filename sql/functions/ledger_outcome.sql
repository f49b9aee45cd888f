-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_outcome(p_outcome text, p_transfer_id bigint, p_original_outcome text DEFAULT NULL::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE sql
 STABLE
AS $function$
  SELECT p_outcome, t.id, t.currency_id, t.created_at, p_original_outcome FROM (SELECT 1) AS one LEFT JOIN transfers t ON t.id = p_transfer_id
$function$;
