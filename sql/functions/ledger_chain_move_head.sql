-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_chain_move_head(p_currency_id bigint, p_position bigint, p_chain_hash bytea)
 RETURNS void
 LANGUAGE sql
AS $function$
  INSERT INTO ledger_chain_heads (currency_id, position, chain_hash) VALUES (p_currency_id, p_position, p_chain_hash)
    ON CONFLICT (currency_id) DO UPDATE SET position = excluded.position, chain_hash = excluded.chain_hash
$function$;
