-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_create_transfer(p_idempotency_key text, p_request_hash text, p_debit_account_id bigint, p_credit_account_id bigint, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_pending boolean DEFAULT false, p_timeout_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_idempotency_scope text DEFAULT 'system'::text, p_accounts_locked boolean DEFAULT false)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
AS $function$
DECLARE
  v_claim record;
  v_refusal text;
  v_transfer record;
BEGIN
  -- Accounts first, then the key, as every writer takes them: both accounts, and the other accounts
  -- of their due holds, at once in ascending id order (never these two first and the others after:
  -- that order could deadlock with another writer).
  IF NOT p_accounts_locked THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[p_debit_account_id, p_credit_account_id]);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  v_refusal := ledger_transfer_refusal(p_debit_account_id, p_credit_account_id, p_amount, true, p_pending);
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, timeout_at, created_at)
    SELECT p_idempotency_scope, p_idempotency_key, p_request_hash, a.currency_id, p_debit_account_id, p_credit_account_id, p_amount, p_code, p_memo, p_metadata,
           CASE WHEN p_pending THEN 'pending' ELSE 'direct' END, p_timeout_at, clock_timestamp()
      FROM accounts a WHERE a.id = p_debit_account_id
    RETURNING transfers.id, transfers.currency_id, transfers.created_at INTO v_transfer;
  IF p_pending THEN
    UPDATE accounts a SET pending_debits = a.pending_debits + CASE WHEN a.id = p_debit_account_id THEN p_amount ELSE 0 END,
                          pending_credits = a.pending_credits + CASE WHEN a.id = p_credit_account_id THEN p_amount ELSE 0 END
     WHERE a.id IN (p_debit_account_id, p_credit_account_id);
  ELSE
    PERFORM ledger_post(v_transfer.id, p_debit_account_id, p_credit_account_id, p_amount, v_transfer.created_at);
  END IF;
  -- What was just written, answered without reading it back.
  RETURN QUERY SELECT 'created'::text, v_transfer.id, v_transfer.currency_id, v_transfer.created_at, NULL::text;
END $function$;
