-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_lock_chain_head(p_currency_id bigint)
 RETURNS TABLE("position" bigint, chain_hash bytea)
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
    SELECT h.position, h.chain_hash FROM ledger_chain_heads h WHERE h.currency_id = p_currency_id FOR UPDATE
  $function$;
