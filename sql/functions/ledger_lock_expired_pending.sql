-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_lock_expired_pending(p_limit integer)
 RETURNS SETOF bigint
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
    SELECT t.id FROM transfers t
     WHERE t.timeout_at <= clock_timestamp() AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)
     ORDER BY t.timeout_at LIMIT p_limit FOR NO KEY UPDATE OF t SKIP LOCKED
  $function$;
