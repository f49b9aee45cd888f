-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_refuse(p_idempotency_scope text, p_idempotency_key text, p_request_hash text, p_refusal text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF p_refusal IN ('debit_account_closed', 'credit_account_closed', 'debit_account_frozen', 'credit_account_frozen',
                   'exceeds_lower_limit', 'exceeds_upper_limit', 'balance_out_of_range', 'pending_transfer_already_posted',
                   'pending_transfer_already_voided', 'pending_transfer_expired', 'exceeds_pending_amount',
                   'transfer_already_reversed') THEN
    INSERT INTO transfer_failures (idempotency_scope, idempotency_key, request_hash, code)
      VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, p_refusal);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome(p_refusal, NULL);
END $function$;
