-- The current definition, read from a database with every migration applied (npm run sql).
-- Do not edit: change it with a new migration, then run npm run sql and commit both.

CREATE OR REPLACE FUNCTION public.ledger_reverse_transfer(p_idempotency_key text, p_request_hash text, p_transfer_id bigint, p_reason text, p_force boolean, p_memo text, p_metadata jsonb, p_idempotency_scope text DEFAULT 'system'::text)
 RETURNS TABLE(outcome text, id bigint, currency_id bigint, created_at timestamp with time zone, original_outcome text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'pg_catalog', 'public', 'pg_temp'
AS $function$
DECLARE
  v_claim record;
  v_original transfers%ROWTYPE;
  v_refusal text;
  v_metadata jsonb := p_metadata;
  v_widened jsonb;
  v_transfer_id bigint;
  v_at timestamptz;
BEGIN
  SELECT * INTO v_original FROM transfers t WHERE t.id = p_transfer_id;
  -- Its accounts first, then the key, as every writer takes them.
  IF v_original.kind IN ('direct', 'post_pending') THEN
    PERFORM ledger_lock_accounts_expiring(ARRAY[v_original.debit_account_id, v_original.credit_account_id]);
  END IF;
  SELECT * INTO v_claim FROM ledger_claim_key(p_idempotency_scope, p_idempotency_key, p_request_hash);
  IF v_claim.outcome IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_outcome(v_claim.outcome, v_claim.transfer_id, v_claim.original_outcome);
    RETURN;
  END IF;
  IF v_original.id IS NULL OR v_original.kind NOT IN ('direct', 'post_pending') THEN
    RETURN QUERY SELECT * FROM ledger_outcome(CASE WHEN v_original.id IS NULL THEN 'transfer_not_found' ELSE 'transfer_not_reversible' END, NULL);
    RETURN;
  END IF;
  v_refusal := CASE WHEN EXISTS (SELECT 1 FROM transfers t WHERE t.reverses_id = p_transfer_id) THEN 'transfer_already_reversed'
                    ELSE ledger_transfer_refusal(v_original.credit_account_id, v_original.debit_account_id, v_original.amount, NOT p_force) END;
  IF v_refusal IS NOT NULL THEN
    RETURN QUERY SELECT * FROM ledger_refuse(p_idempotency_scope, p_idempotency_key, p_request_hash, v_refusal);
    RETURN;
  END IF;

  IF p_force THEN
    SELECT jsonb_agg(jsonb_build_object('accountId', a.id::text, 'lowerLimitWas', a.lower_limit::text, 'upperLimitWas', a.upper_limit::text))
      INTO v_widened FROM accounts a
     WHERE (a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL
            AND a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount < a.lower_limit)
        OR (a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL
            AND a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount > a.upper_limit);
    UPDATE accounts a SET lower_limit = least(a.lower_limit, a.posted_credits - a.posted_debits - a.pending_debits - v_original.amount)
     WHERE a.id = v_original.credit_account_id AND a.lower_limit IS NOT NULL;
    UPDATE accounts a SET upper_limit = greatest(a.upper_limit, a.posted_credits + a.pending_credits - a.posted_debits + v_original.amount)
     WHERE a.id = v_original.debit_account_id AND a.upper_limit IS NOT NULL;
    IF v_widened IS NOT NULL THEN
      v_metadata := v_metadata || jsonb_build_object('limitsWidened', v_widened);
    END IF;
  END IF;

  v_at := clock_timestamp();
  INSERT INTO transfers (idempotency_scope, idempotency_key, request_hash, currency_id, debit_account_id, credit_account_id, amount, code, memo, metadata,
                         reverses_id, reason, forced, created_at)
    VALUES (p_idempotency_scope, p_idempotency_key, p_request_hash, v_original.currency_id, v_original.credit_account_id, v_original.debit_account_id,
            v_original.amount, 'reversal', p_memo, v_metadata, p_transfer_id, nullif(trim(p_reason), ''), p_force, v_at)
    RETURNING transfers.id INTO v_transfer_id;
  PERFORM ledger_post(v_transfer_id, v_original.credit_account_id, v_original.debit_account_id, v_original.amount, v_at);
  RETURN QUERY SELECT * FROM ledger_outcome('created', v_transfer_id);
END $function$;
