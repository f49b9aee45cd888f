-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_expired_holds(p_account_id bigint, p_pending_debits bigint, p_pending_credits bigint, OUT debits bigint, OUT credits bigint)
 RETURNS record
 LANGUAGE sql
 STABLE
AS $function$
  SELECT CASE WHEN p_pending_debits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(h.amount), 0) FROM ledger_open_holds h
             WHERE h.debit_account_id = p_account_id AND h.timeout_at <= clock_timestamp()
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = h.transfer_id)) END::bigint,
         CASE WHEN p_pending_credits = 0 THEN 0 ELSE
           (SELECT coalesce(sum(h.amount), 0) FROM ledger_open_holds h
             WHERE h.credit_account_id = p_account_id AND h.timeout_at <= clock_timestamp()
               AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = h.transfer_id)) END::bigint
$function$;
