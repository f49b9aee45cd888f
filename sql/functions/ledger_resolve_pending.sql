-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_resolve_pending(p_idempotency_key text, p_request_hash text, p_pending_id bigint, p_action text, p_amount bigint, p_code text, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_pending transfers%ROWTYPE;
  v_resolution transfers%ROWTYPE;
  v_amount bigint;
  v_refusal text;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_pending FROM transfers t WHERE t.id = p_pending_id AND t.kind = 'pending';
  -- Its accounts first, then the key, as every writer takes them (a key taken first could deadlock
  -- with a payment holding these accounts). Every resolver of this pending transfer queues here; the
  -- first to commit wins.
  IF v_pending.id IS NOT NULL THEN
    PERFORM ledger_lock_accounts(v_pending.debit_account_id, v_pending.credit_account_id);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  IF v_pending.id IS NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome('pending_transfer_not_found', NULL);
    RETURN;
  END IF;
  SELECT * INTO v_resolution FROM transfers t WHERE t.pending_id = p_pending_id;
  v_amount := CASE WHEN p_action = 'post' THEN coalesce(p_amount, v_pending.amount) ELSE v_pending.amount END;
  v_at := clock_timestamp();
  v_refusal := CASE
    WHEN v_resolution.kind = 'post_pending' THEN 'pending_transfer_already_posted'
    WHEN v_resolution.kind = 'void_pending' AND v_resolution.code = 'expired' THEN 'pending_transfer_expired'
    WHEN v_resolution.kind = 'void_pending' THEN 'pending_transfer_already_voided'
    WHEN v_pending.timeout_at IS NOT NULL AND v_pending.timeout_at <= v_at THEN 'pending_transfer_expired'
    WHEN v_amount <= 0 THEN 'amount_must_be_positive'
    WHEN v_amount > v_pending.amount THEN 'exceeds_pending_amount'
    -- Frozen or closed accounts cannot send or receive: a hold on them can still be voided, not posted.
    WHEN p_action = 'post' THEN ledger_transfer_refusal(v_pending.debit_account_id, v_pending.credit_account_id, v_amount, false, false, v_pending.amount)
  END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  UPDATE accounts a SET pending_debits = a.pending_debits - v_pending.amount WHERE a.id = v_pending.debit_account_id;
  UPDATE accounts a SET pending_credits = a.pending_credits - v_pending.amount WHERE a.id = v_pending.credit_account_id;
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         kind, pending_id, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_pending.currency_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount,
            p_code, p_memo, p_metadata, CASE WHEN p_action = 'post' THEN 'post_pending' ELSE 'void_pending' END, p_pending_id, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  IF p_action = 'post' THEN
    PERFORM ledger_post(v_transfer_id, v_pending.debit_account_id, v_pending.credit_account_id, v_amount, v_at);
  END IF;
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$;
